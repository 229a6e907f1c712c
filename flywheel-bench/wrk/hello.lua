-- Baseline: a POST to the hello-world Javalin server on the same stack.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"dataframe_split":{"columns":["temp","hum","wind"],"data":[[12.5,0.61,3.2]]}}'
