-- POSTs the JSON body in the file named by $BODY_FILE (built by the bench script: 100-row and ONNX requests).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.body = f:read("*a")
f:close()
