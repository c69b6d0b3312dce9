//! Step Functions Local's mock configuration file
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html>):
//! `StateMachines.<name>.TestCases.<case>` maps state names to entries of
//! `MockedResponses`, each keyed by invocation index (`"0"`) or range
//! (`"1-3"`) and holding a `Return` value or a `Throw` `{Error, Cause}`.

use serde_json::Value;
use std::collections::HashMap;
use std::sync::Mutex;
use stepwise_asl::error::Failure;

/// What a mocked task answers.
#[derive(Debug, Clone, PartialEq)]
pub enum MockedResponse {
    /// `Return`: the task's result.
    Return(Value),
    /// `Throw`: the task fails.
    Throw(Failure),
}

/// A mock file or test case that cannot be used, with where the problem is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mock config: {0}")]
pub struct MockConfigError(pub String);

/// One test case of one state machine: state name → responses by invocation.
#[derive(Debug, Default)]
pub struct MockCase {
    states: HashMap<String, Vec<(u64, u64, MockedResponse)>>,
    calls: Mutex<HashMap<String, u64>>,
}

fn parse_range(key: &str) -> Option<(u64, u64)> {
    match key.split_once('-') {
        Some((a, b)) => Some((a.trim().parse().ok()?, b.trim().parse().ok()?)),
        None => key.trim().parse().ok().map(|n| (n, n)),
    }
}

fn parse_response(name: &str, key: &str, v: &Value) -> Result<MockedResponse, MockConfigError> {
    let at = format!("MockedResponses.{name}.\"{key}\"");
    let obj = v.as_object().ok_or_else(|| MockConfigError(format!("{at} must be an object")))?;
    match (obj.get("Return"), obj.get("Throw")) {
        (Some(r), None) => Ok(MockedResponse::Return(r.clone())),
        (None, Some(t)) => {
            let error = t.get("Error").and_then(Value::as_str);
            let error = error.ok_or_else(|| MockConfigError(format!("{at}.Throw needs an Error string")))?;
            let cause = t.get("Cause").and_then(Value::as_str).map(str::to_owned);
            Ok(MockedResponse::Throw(Failure { error: error.to_owned(), cause }))
        }
        _ => Err(MockConfigError(format!("{at} needs exactly one of Return or Throw"))),
    }
}

impl MockCase {
    /// Reads `test_case` of `state_machine` from a mock config document.
    pub fn from_config(config: &Value, state_machine: &str, test_case: &str) -> Result<MockCase, MockConfigError> {
        let case = config
            .pointer(&format!("/StateMachines/{}/TestCases/{}", escape(state_machine), escape(test_case)))
            .and_then(Value::as_object)
            .ok_or_else(|| {
                MockConfigError(format!("no test case StateMachines.{state_machine}.TestCases.{test_case}"))
            })?;
        let responses = config.get("MockedResponses").and_then(Value::as_object);
        let mut states = HashMap::new();
        for (state, response_name) in case {
            let name = response_name
                .as_str()
                .ok_or_else(|| MockConfigError(format!("TestCases.{test_case}.{state} must name a mocked response")))?;
            let entries = responses
                .and_then(|r| r.get(name))
                .and_then(Value::as_object)
                .ok_or_else(|| MockConfigError(format!("MockedResponses has no '{name}' (used by state '{state}')")))?;
            let mut list = Vec::new();
            for (key, v) in entries {
                let (from, to) = parse_range(key).ok_or_else(|| {
                    MockConfigError(format!("MockedResponses.{name}: '{key}' is not an index or a range like '0-2'"))
                })?;
                list.push((from, to, parse_response(name, key, v)?));
            }
            states.insert(state.clone(), list);
        }
        Ok(MockCase { states, calls: Mutex::new(HashMap::new()) })
    }

    /// The response for the next invocation of `state`, or `None` when the
    /// state is not mocked (it then runs for real).
    pub fn next(&self, state: &str) -> Option<Result<MockedResponse, MockConfigError>> {
        let list = self.states.get(state)?;
        let mut calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        let n = calls.entry(state.to_owned()).or_insert(0);
        let index = *n;
        *n += 1;
        Some(
            list.iter().find(|(from, to, _)| (*from..=*to).contains(&index)).map(|(_, _, r)| r.clone()).ok_or_else(
                || MockConfigError(format!("state '{state}' has no mocked response for invocation {index}")),
            ),
        )
    }
}

fn escape(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // The example of "Mock configuration file" in the AWS Developer Guide
    // (sfn-local-mock-cfg-file.html), cut down: a retry path answered by a
    // range, then a success.
    #[test]
    fn ranges_and_indexes_answer_in_order() {
        let config = json!({
            "StateMachines": {"LambdaSQSIntegration": {"TestCases": {"RetryPath": {"LambdaState": "MockedLambdaRetry"}}}},
            "MockedResponses": {"MockedLambdaRetry": {
                "0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "Lambda resource is not ready."}},
                "1-2": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "Lambda timed out."}},
                "3": {"Return": {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}}
            }}
        });
        let case = MockCase::from_config(&config, "LambdaSQSIntegration", "RetryPath").unwrap();
        let errors: Vec<String> = (0..3)
            .map(|_| match case.next("LambdaState").unwrap().unwrap() {
                MockedResponse::Throw(f) => f.error,
                MockedResponse::Return(_) => "returned".into(),
            })
            .collect();
        assert_eq!(errors, ["Lambda.ResourceNotReadyException", "Lambda.TimeoutException", "Lambda.TimeoutException"]);
        assert!(matches!(case.next("LambdaState"), Some(Ok(MockedResponse::Return(_)))));
        assert!(case.next("LambdaState").unwrap().is_err());
        assert!(case.next("NotMocked").is_none());
    }

    #[test]
    fn missing_test_case_is_a_clear_error() {
        let err = MockCase::from_config(&json!({}), "M", "Happy").unwrap_err();
        assert_eq!(err.0, "no test case StateMachines.M.TestCases.Happy");
    }
}
