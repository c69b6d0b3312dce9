//! Lambda's Invoke API over HTTP, as `sam local start-lambda` and
//! `cargo lambda watch` serve it:
//! `POST /2015-03-31/functions/{name}/invocations`
//! (<https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html>).

use super::{LambdaError, LambdaInvoker, LambdaResponse};
use std::io::Read;
use std::time::Instant;

/// Invokes functions at a Lambda endpoint such as `http://127.0.0.1:3001`.
pub struct HttpLambda {
    endpoint: String,
    agent: ureq::Agent,
}

impl HttpLambda {
    /// A client for `endpoint` (scheme, host and port).
    pub fn new(endpoint: &str) -> Self {
        HttpLambda { endpoint: endpoint.trim_end_matches('/').to_owned(), agent: ureq::Agent::new() }
    }
}

/// The function name from a name, partial ARN or full ARN.
pub fn function_name(function: &str) -> &str {
    match function.split(':').collect::<Vec<_>>().as_slice() {
        [.., "function", name] => name,
        [.., "function", name, _qualifier] => name,
        _ => function,
    }
}

impl LambdaInvoker for HttpLambda {
    fn invoke(&self, function: &str, payload: &[u8], log_tail: bool) -> Result<LambdaResponse, LambdaError> {
        let url = format!("{}/2015-03-31/functions/{}/invocations", self.endpoint, function_name(function));
        let started = Instant::now();
        let response = match self
            .agent
            .post(&url)
            .set("Content-Type", "application/json")
            .set("X-Amz-Log-Type", if log_tail { "Tail" } else { "None" })
            .send_bytes(payload)
        {
            Ok(r) => r,
            Err(ureq::Error::Status(404, _)) => {
                return Err(LambdaError {
                    error: "Lambda.ResourceNotFoundException".to_owned(),
                    message: format!("Function not found: {function}"),
                });
            }
            Err(ureq::Error::Status(code, r)) => {
                let body = r.into_string().unwrap_or_default();
                return Err(LambdaError {
                    error: "Lambda.ServiceException".to_owned(),
                    message: format!("HTTP {code}: {body}"),
                });
            }
            Err(e) => {
                return Err(LambdaError {
                    error: "Lambda.ServiceException".to_owned(),
                    message: format!("cannot reach the Lambda endpoint {}: {e}", self.endpoint),
                });
            }
        };
        let function_error = response.header("X-Amz-Function-Error").map(str::to_owned);
        let log_result = response.header("X-Amz-Log-Result").map(str::to_owned);
        let mut body = Vec::new();
        response
            .into_reader()
            .take(64 * 1024 * 1024)
            .read_to_end(&mut body)
            .map_err(|e| LambdaError { error: "Lambda.ServiceException".to_owned(), message: e.to_string() })?;
        Ok(LambdaResponse { payload: body, function_error, log_result, duration: started.elapsed() })
    }
}
