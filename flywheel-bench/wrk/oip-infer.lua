-- One-row Open Inference Protocol v2 infer request for the 3-feature test model.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"inputs":[{"name":"temp","shape":[1],"datatype":"FP32","data":[12.5]},' ..
           '{"name":"hum","shape":[1],"datatype":"FP32","data":[0.61]},' ..
           '{"name":"wind","shape":[1],"datatype":"FP32","data":[3.2]}]}'
