-- One-row MLflow /invocations request (dataframe_split) for the 3-feature test model.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"dataframe_split":{"columns":["temp","hum","wind"],"data":[[12.5,0.61,3.2]]}}'
