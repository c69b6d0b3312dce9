//! Each state type run end to end through the interpreter: Pass, Task,
//! Choice, Wait, Succeed, Fail, Parallel and Map, with their input and output
//! processing, Retry and Catch.
//!
//! AWS: "Discovering workflow states to use in Step Functions"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/workflow-states.html>).
//! Expected values are the examples of the Developer Guide page cited above
//! each group (`<page>.html` under
//! <https://docs.aws.amazon.com/step-functions/latest/dg/>, as the current
//! site and the awsdocs/aws-step-functions-developer-guide archive of
//! 2023-06 show them), or
//! executions recorded against AWS in `shared/conformance/cases`, cited by
//! case name; their tasks are answered as the recorded Lambda mocks behave.
//! Tables hold one case a line, columns separated by ` | `.

mod common;

use common::{Outcome, START_TIME, j, no_tasks, run, single, single_named, table, words};
use serde_json::{Value, json};
use stepwise_asl::error::Failure;
use stepwise_asl::history::Details;
use stepwise_asl::interpret::{IntegrationPattern, TaskKind, TaskRequest};

/// Runs each `state | input | output` row as a one-state machine with no tasks.
fn check_single(cases: &str) {
    for row in table(cases) {
        let run = run(&single(j(row[0])), j(row[1]), no_tasks);
        assert_eq!(run.outcome(), &Outcome::Succeeded(j(row[2])), "{row:?}");
    }
}

/// Runs each `Task state | input | task result | output` row.
fn check_task(cases: &str) {
    for row in table(cases) {
        let run = run(&single(j(row[0])), j(row[1]), |_| Ok(j(row[2])));
        assert_eq!(run.outcome(), &Outcome::Succeeded(j(row[3])), "{row:?}");
    }
}

/// The names of the states entered, in order.
fn entered(run: &common::Run) -> Vec<&str> {
    let names = run.history.iter().map(|e| &e.details);
    names.filter_map(|d| if let Details::StateEntered { name, .. } = d { Some(name.as_str()) } else { None }).collect()
}

/// A task failing with the given error names in turn, then succeeding.
fn failing(errors: &[&str]) -> impl FnMut(&TaskRequest) -> Result<Value, Failure> {
    let mut errors: Vec<String> = errors.iter().rev().map(|e| e.to_string()).collect();
    move |_| errors.pop().map_or(Ok(json!("done")), |e| Err(Failure::bare(e)))
}

// ---- Pass -------------------------------------------------------------------

// state-pass.html (Pass state example); input-output-inputpath-params.html
// (InputPath, Parameters); input-output-contextobject.html (Pass example, on
// the page's running execution); input-output-resultpath.html (`null` keeps
// the input); input-output-example.html (with the Lambda's result as Result);
// conformance test_base__test_state_pass_result_jsonpaths.
#[test]
fn pass_applies_input_path_parameters_result_result_path_and_output_path() {
    check_single(
        r#"
        {"Type":"Pass","Result":{"x-datum":0.381018,"y-datum":622.2269926397355},"ResultPath":"$.coords"} | {"georefOf":"Home"} | {"georefOf":"Home","coords":{"x-datum":0.381018,"y-datum":622.2269926397355}}
        {"Type":"Pass","InputPath":"$.dataset2"} | {"comment":"Example for InputPath.","dataset1":{"val1":1,"val2":2,"val3":3},"dataset2":{"val1":"a","val2":"b","val3":"c"}} | {"val1":"a","val2":"b","val3":"c"}
        {"Type":"Pass","InputPath":"$.a[0:2]"} | {"a":[1,2,3,4]} | [1,2]
        {"Type":"Pass","Parameters":{"comment":"Selecting what I care about.","MyDetails":{"size.$":"$.product.details.size","exists.$":"$.product.availability","StaticValue":"foo"}}} | {"comment":"Example for Parameters.","product":{"details":{"color":"blue","size":"small","material":"cotton"},"availability":"in stock","sku":"2317","cost":"$23"}} | {"comment":"Selecting what I care about.","MyDetails":{"size":"small","exists":"in stock","StaticValue":"foo"}}
        {"Type":"Pass","Parameters":{"startTime.$":"$$.Execution.StartTime","execName.$":"$$.Execution.Name"},"ResultPath":"$.executionContext"} | {"key":"value"} | {"key":"value","executionContext":{"startTime":"2019-03-26T20:14:13.192Z","execName":"executionName"}}
        {"Type":"Pass","Result":"Hello, AWS Step Functions!","ResultPath":null} | {"foo":"bar"} | {"foo":"bar"}
        {"Type":"Pass","InputPath":"$.lambda","Result":"Hello, AWS Step Functions!","ResultPath":"$.data.lambdaresult","OutputPath":"$.data"} | {"comment":"An input comment.","data":{"val1":23,"val2":17},"extra":"foo","lambda":{"who":"AWS Step Functions"}} | {"val1":23,"val2":17,"lambdaresult":"Hello, AWS Step Functions!"}
        {"Type":"Pass","Result":{"unsupported1.$":"$.jsonpath","unsupported2.$":"$$"}} | {} | {"unsupported1.$":"$.jsonpath","unsupported2.$":"$$"}
        "#,
    );
}

// ---- Task: input and output processing --------------------------------------

// input-output-resultpath.html, the Lambda answering "Hello, AWS Step
// Functions!" (the page's printed outputs restate the input in other words;
// the input is what is kept); ResultSelector example of
// input-output-inputpath-params.html; conformance
// test_context_object__test_result_selector (its Lambda answer cut to
// Payload and StatusCode: ResultSelector copies it whole).
#[test]
fn task_result_selector_and_result_path_shape_the_output() {
    check_task(
        r#"
        {"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:HelloFunction"} | {"comment":"This is a test of the input and output of a Task state.","details":"Default example","who":"AWS Step Functions"} | "Hello, AWS Step Functions!" | "Hello, AWS Step Functions!"
        {"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:HelloFunction","ResultPath":"$"} | {"comment":"This is a test of the input and output of a Task state.","details":"Default example","who":"AWS Step Functions"} | "Hello, AWS Step Functions!" | "Hello, AWS Step Functions!"
        {"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:HelloFunction","ResultPath":null} | {"comment":"This is a test","details":"Default example","who":"Step Functions"} | "Hello, Step Functions!" | {"comment":"This is a test","details":"Default example","who":"Step Functions"}
        {"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:HelloFunction","ResultPath":"$.taskresult"} | {"comment":"This is a test of the input and output of a Task state.","details":"Default example","who":"AWS Step Functions"} | "Hello, AWS Step Functions!" | {"comment":"This is a test of the input and output of a Task state.","details":"Default example","who":"AWS Step Functions","taskresult":"Hello, AWS Step Functions!"}
        {"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:HelloFunction","ResultPath":"$.strings.lambdaresult"} | {"comment":"An input comment.","strings":{"string1":"foo","string2":"bar","string3":"baz"},"who":"AWS Step Functions"} | "Hello, AWS Step Functions!" | {"comment":"An input comment.","strings":{"string1":"foo","string2":"bar","string3":"baz","lambdaresult":"Hello, AWS Step Functions!"},"who":"AWS Step Functions"}
        {"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:HelloFunction","ResultPath":"$.comment"} | {"comment":"This is a test of the input and output of a Task state.","details":"Default example","who":"AWS Step Functions"} | "Hello, AWS Step Functions!" | {"comment":"Hello, AWS Step Functions!","details":"Default example","who":"AWS Step Functions"}
        {"Type":"Task","Resource":"arn:aws:states:::elasticmapreduce:createCluster.sync","ResultSelector":{"ClusterId.$":"$.output.ClusterId","ResourceType.$":"$.resourceType"},"ResultPath":"$.EMROutput"} | {"OtherDataFromInput":{}} | {"resourceType":"elasticmapreduce","resource":"createCluster.sync","output":{"SdkHttpMetadata":{"HttpHeaders":{"Content-Length":"1112","Content-Type":"application/x-amz-JSON-1.1","Date":"Mon, 25 Nov 2019 19:41:29 GMT","x-amzn-RequestId":"1234-5678-9012"},"HttpStatusCode":200},"SdkResponseMetadata":{"RequestId":"1234-5678-9012"},"ClusterId":"AKIAIOSFODNN7EXAMPLE"}} | {"OtherDataFromInput":{},"EMROutput":{"ResourceType":"elasticmapreduce","ClusterId":"AKIAIOSFODNN7EXAMPLE"}}
        {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName.$":"$.FunctionName","Payload":{"Input.$":"$"}},"ResultSelector":{"LambdaOutput.$":"$","ContextObjectValue.$":"$$.Execution.Input"}} | {"FunctionName":"id_function","Payload":{"input-value":0}} | {"Payload":{"Input":{"FunctionName":"id_function","Payload":{"input-value":0}}},"StatusCode":200} | {"ContextObjectValue":{"FunctionName":"id_function","Payload":{"input-value":0}},"LambdaOutput":{"Payload":{"Input":{"FunctionName":"id_function","Payload":{"input-value":0}}},"StatusCode":200}}
        "#,
    );
}

// input-output-example.html: InputPath sends only `lambda` to the function;
// ResultPath and OutputPath shape the output.
#[test]
fn task_input_path_limits_the_payload_and_output_path_filters_the_output() {
    let state = json!({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:HelloFunction",
        "InputPath": "$.lambda", "ResultPath": "$.data.lambdaresult", "OutputPath": "$.data"});
    let input = json!({"comment": "An input comment.", "data": {"val1": 23, "val2": 17}, "extra": "foo",
        "lambda": {"who": "AWS Step Functions"}});
    let run = run(&single(state), input, |_| Ok(json!("Hello, AWS Step Functions!")));
    assert_eq!(run.tasks[0].parameters, json!({"who": "AWS Step Functions"}));
    assert_eq!(run.output(), &json!({"val1": 23, "val2": 17, "lambdaresult": "Hello, AWS Step Functions!"}));
}

// input-output-contextobject.html (the execution ARN sent to SQS);
// connect-to-resource.html#connect-wait-token (the callback example).
#[test]
fn task_parameters_read_the_context_object_and_the_task_token() {
    let sqs = json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Parameters": {
        "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/flight-purchase",
        "MessageBody": {"From": "YVR", "To": "SEA", "Execution.$": "$$.Execution.Id"}}});
    let run_sqs = run(&single(sqs), json!({}), |_| Ok(json!({})));
    let execution = "arn:aws:states:us-east-1:123456789012:execution:stateMachineName:executionName";
    assert_eq!(run_sqs.tasks[0].parameters["MessageBody"]["Execution"], execution);
    assert_eq!((run_sqs.tasks[0].pattern, &run_sqs.tasks[0].token), (IntegrationPattern::RequestResponse, &None));

    let callback = json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "https://sqs.us-east-2.amazonaws.com/123456789012/myQueue",
            "MessageBody": {"Message": "Hello from Step Functions!", "TaskToken.$": "$$.Task.Token"}}});
    let run_cb = run(&single(callback), json!({}), |_| Ok(json!({"approved": true})));
    let request = &run_cb.tasks[0];
    assert_eq!(request.pattern, IntegrationPattern::WaitForTaskToken);
    let token = request.token.clone().expect("a .waitForTaskToken task has a token");
    assert!((1..=1024).contains(&token.len()), "AWS: a token has 1 to 1024 characters");
    assert_eq!(request.parameters["MessageBody"]["TaskToken"], json!(token));
    assert_eq!(run_cb.output(), &json!({"approved": true}));
}

// connect-to-resource.html#connect-wait-token: "If a Task state using the
// callback task token times out, a new random token is generated."
#[test]
fn task_retried_after_a_callback_timeout_gets_a_new_token() {
    let state = json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"MessageBody": {"TaskToken.$": "$$.Task.Token"}}, "TimeoutSeconds": 60,
        "Retry": [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 1}]});
    let run = run(&single(state), json!({}), failing(&["States.Timeout"]));
    assert_eq!(run.tasks.len(), 2);
    assert_ne!(run.tasks[0].token, run.tasks[1].token);
}

// state-task.html#task-state-example (static and dynamic timeouts);
// conformance test_timeouts__test_fixed_timeout_service_lambda_with_path
// (recorded TaskScheduled.timeoutInSeconds 5). Columns: state | input |
// timeout | heartbeat.
#[test]
fn task_timeouts_are_resolved_into_the_request() {
    let cases = r#"
        {"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:HelloWorld","TimeoutSeconds":300,"HeartbeatSeconds":60} | {} | 300 | 60
        {"Type":"Task","Resource":"arn:aws:states:::glue:startJobRun.sync","Parameters":{"JobName":"myGlueJob"},"TimeoutSecondsPath":"$.params.maxTime","HeartbeatSecondsPath":"$.params.heartbeat"} | {"params":{"maxTime":3600,"heartbeat":60}} | 3600 | 60
        {"Type":"Task","TimeoutSecondsPath":"$.TimeoutSecondsValue","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName.$":"$.FunctionName","Payload.$":"$.Payload"}} | {"TimeoutSecondsValue":5,"FunctionName":"wait_60_seconds","Payload":null} | 5 | null
        {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{}} | {} | null | null
    "#;
    for row in table(cases) {
        let run = run(&single(j(row[0])), j(row[1]), |_| Ok(json!({})));
        let (timeout, heartbeat) = (run.tasks[0].timeout_seconds, run.tasks[0].heartbeat_seconds);
        assert_eq!((json!(timeout), json!(heartbeat)), (j(row[2]), j(row[3])), "{row:?}");
    }
}

// Conformance test_base_scenarios__test_invalid_jsonpath_ST.INVALID_JSONPATH_IN_TIMEOUTSECONDSPATH
// and ..._IN_HEARTBEATSECONDSPATH: a path that selects nothing fails the
// state before the task is scheduled.
#[test]
fn task_timeout_paths_that_select_nothing_fail_before_scheduling() {
    let cause = "An error occurred while executing the state 'task' (entered at the event id #2). Invalid path '$.NoSuchTimeoutSecondsPath' : No results for path: $['NoSuchTimeoutSecondsPath']";
    let cases = r#"
        {"Type":"Task","TimeoutSecondsPath":"$.NoSuchTimeoutSecondsPath","Resource":"arn:aws:states:::aws-sdk:s3:listBuckets","Parameters":{}}
        {"Type":"Task","HeartbeatSecondsPath":"$.NoSuchTimeoutSecondsPath","Resource":"arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken","Parameters":{}}
    "#;
    for row in table(cases) {
        let run = run(&single_named("task", j(row[0])), json!({"int-literal": 0}), no_tasks);
        assert_eq!(run.failure(), &Failure::new("States.Runtime", cause), "{row:?}");
        assert_eq!(run.types(), words("ExecutionStarted TaskStateEntered ExecutionFailed"), "{row:?}");
    }
}

// ---- Task: history ----------------------------------------------------------

// Conformance test_lambda_task__test_lambda_task_filter_parameters_input (a
// classic Lambda ARN, identity function) and
// test_lambda_task_service__test_invoke (lambda:invoke; the response cut to
// ExecutedVersion, Payload and StatusCode).
#[test]
fn task_history_names_lambda_functions_and_service_integrations() {
    let classic = j(r#"{"StartAt":"StartCheckLoop","States":{
        "StartCheckLoop":{"Type":"Pass","Result":{"count":0},"ResultPath":"$.loop","Next":"CheckComplete"},
        "CheckComplete":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:111111111111:function:id_function","Parameters":{"loop.$":"$.loop"},"ResultPath":"$.result","End":true}}}"#);
    let run_classic = run(&classic, json!({}), |r| Ok(r.parameters.clone()));
    assert_eq!(run_classic.output(), &j(r#"{"loop":{"count":0},"result":{"loop":{"count":0}}}"#));
    let events = "ExecutionStarted PassStateEntered PassStateExited TaskStateEntered LambdaFunctionScheduled LambdaFunctionStarted LambdaFunctionSucceeded TaskStateExited ExecutionSucceeded";
    assert_eq!(run_classic.types(), words(events));
    assert_eq!(run_classic.tasks[0].kind, TaskKind::LambdaFunction);
    let Details::LambdaFunctionScheduled { resource, input, .. } = &run_classic.history[4].details else {
        panic!("{:?}", run_classic.history[4])
    };
    assert_eq!(resource, "arn:aws:lambda:us-east-1:111111111111:function:id_function");
    assert_eq!(j(input), json!({"loop": {"count": 0}}));

    let service = j(r#"{"StartAt":"Start","States":{
        "Start":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName.$":"$.FunctionName","Payload.$":"$.Payload"},"Next":"EndWithFinal"},
        "EndWithFinal":{"Type":"Pass","ResultPath":"$.final","End":true}}}"#);
    let response = json!({"ExecutedVersion": "$LATEST", "Payload": {}, "StatusCode": 200});
    let run_service = run(&service, json!({"FunctionName": "id_function", "Payload": null}), |_| Ok(response.clone()));
    let mut expected = response.clone();
    expected["final"] = response;
    assert_eq!(run_service.output(), &expected);
    let events = "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited PassStateEntered PassStateExited ExecutionSucceeded";
    assert_eq!(run_service.types(), words(events));
    let Details::TaskScheduled { resource_type, resource, region, parameters, .. } = &run_service.history[2].details
    else {
        panic!("{:?}", run_service.history[2])
    };
    assert_eq!([resource_type, resource, region], ["lambda", "invoke", "us-east-1"]);
    assert_eq!(j(parameters), json!({"FunctionName": "id_function", "Payload": null}));
}

// Conformance test_timeouts__test_fixed_timeout_lambda and
// test_timeouts__test_fixed_timeout_service_lambda_with_path: a task that
// runs past TimeoutSeconds fails the execution with States.Timeout.
#[test]
fn task_timeout_is_recorded_as_timed_out() {
    let cases = r#"
        {"Type":"Task","TimeoutSeconds":5,"Resource":"arn:aws:lambda:us-east-1:111111111111:function:wait_60_seconds","Parameters":{"Payload.$":"$.Payload"}} | {"Payload":null} | ExecutionStarted TaskStateEntered LambdaFunctionScheduled LambdaFunctionStarted LambdaFunctionTimedOut ExecutionFailed
        {"Type":"Task","TimeoutSecondsPath":"$.TimeoutSecondsValue","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName.$":"$.FunctionName","Payload.$":"$.Payload"}} | {"TimeoutSecondsValue":5,"FunctionName":"wait_60_seconds","Payload":null} | ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskTimedOut ExecutionFailed
    "#;
    for row in table(cases) {
        let run = run(&single(j(row[0])), j(row[1]), |_| Err(Failure::bare("States.Timeout")));
        assert_eq!(run.failure().error, "States.Timeout", "{row:?}");
        assert_eq!(run.types(), words(row[2]), "{row:?}");
    }
}

// ---- Task: Retry ------------------------------------------------------------

// concepts-error-handling.html, "Retrying after an error": IntervalSeconds
// 3, MaxAttempts 2, BackoffRate 1.5 "makes 2 retry attempts after waiting
// for 3 and 4.5 seconds"; the defaults (IntervalSeconds 1, MaxAttempts 3,
// BackoffRate 2.0); MaxAttempts 0 "never retried", in the retrier that
// "retries any error except States.Timeout"; MaxDelaySeconds, "the maximum
// value ... up to which a retry interval can increase". Columns: retriers |
// errors raised | waits (ms) | attempts.
#[test]
fn retry_waits_interval_times_backoff_for_max_attempts() {
    let cases = r#"
        [{"ErrorEquals":["States.Timeout"],"IntervalSeconds":3,"MaxAttempts":2,"BackoffRate":1.5}] | States.Timeout States.Timeout States.Timeout | [3000,4500] | 3
        [{"ErrorEquals":["States.ALL"]}] | E E E E | [1000,2000,4000] | 4
        [{"ErrorEquals":["States.Timeout"],"MaxAttempts":0},{"ErrorEquals":["States.ALL"]}] | States.Timeout | [] | 1
        [{"ErrorEquals":["States.Timeout"],"MaxAttempts":0},{"ErrorEquals":["States.ALL"]}] | E E E E | [1000,2000,4000] | 4
        [{"ErrorEquals":["States.ALL"],"IntervalSeconds":3,"MaxAttempts":3,"BackoffRate":2,"MaxDelaySeconds":5}] | E E E E | [3000,5000,5000] | 4
    "#;
    for row in table(cases) {
        let state = json!({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:FailFunction",
            "Retry": j(row[0])});
        let run = run(&single(state), json!({}), failing(&words(row[1])));
        assert_eq!(json!(run.delays()), j(row[2]), "{row:?}");
        assert_eq!(json!(run.tasks.len()), j(row[3]), "{row:?}");
        assert!(matches!(run.outcome(), Outcome::Failed(_)), "{row:?}: every attempt failed");
    }
}

// Conformance test_base_scenarios__test_retry_interval_features (FULL
// jitter) and ..._jitter_none both record 3 attempts; FULL jitter waits "a
// random number between 0 and the computed backoff" (JitterStrategy,
// concepts-error-handling.html), capped here by MaxDelaySeconds. Columns:
// retrier | the longest each wait may be (ms).
#[test]
fn retry_with_jitter_stays_under_the_capped_backoff() {
    let cases = r#"
        {"ErrorEquals":["States.ALL"],"IntervalSeconds":3,"MaxAttempts":2,"BackoffRate":2,"MaxDelaySeconds":5,"JitterStrategy":"FULL"} | [3000,5000]
        {"ErrorEquals":["States.ALL"],"IntervalSeconds":1,"MaxAttempts":2,"BackoffRate":1,"MaxDelaySeconds":3,"JitterStrategy":"NONE"} | [1000,1000]
    "#;
    for row in table(cases) {
        let state = json!({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:111111111111:function:raise_exception",
            "Retry": [j(row[0])]});
        let run = run(&single(state), json!({}), |_| Err(Failure::new("Exception", "Some exception was raised.")));
        assert_eq!(run.types().iter().filter(|t| **t == "LambdaFunctionScheduled").count(), 3, "{row:?}");
        let ceilings: Vec<i64> = serde_json::from_str(row[1]).expect("waits");
        let delays = run.delays();
        assert!(delays.len() == 2 && delays.iter().zip(&ceilings).all(|(d, c)| (0..=*c).contains(d)), "{delays:?}");
    }
}

// Complex retry scenario, Amazon States Language specification
// (https://states-language.net/spec.html#retrying-after-error, restated in
// concepts-error-handling.html): ErrorA, ErrorB, ErrorC, ErrorB wait 1, 2
// and 5 s; the fourth error finds the first retrier spent and is caught.
// Conformance test_base_scenarios__test_lambda_service_invoke_with_retry_extended_input:
// $$.State.RetryCount is 0, 1, 2, 3 in the attempts' payloads.
#[test]
fn retriers_count_attempts_separately_and_catch_follows() {
    let definition = j(r#"{"StartAt":"X","States":{
        "X":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:X","Next":"Y",
             "Retry":[{"ErrorEquals":["ErrorA","ErrorB"],"IntervalSeconds":1,"BackoffRate":2.0,"MaxAttempts":2},
                      {"ErrorEquals":["ErrorC"],"IntervalSeconds":5}],
             "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Z"}]},
        "Y":{"Type":"Pass","End":true},"Z":{"Type":"Pass","End":true}}}"#);
    let run_x = run(&definition, json!({}), failing(&["ErrorA", "ErrorB", "ErrorC", "ErrorB"]));
    assert_eq!(run_x.delays(), [1000, 2000, 5000]);
    assert_eq!(entered(&run_x), ["X", "Z"]);
    assert_eq!(run_x.output(), &json!({"Error": "ErrorB"}));

    let counting = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName.$": "$.FunctionName", "Payload": {"RetryCount.$": "$$.State.RetryCount"}},
        "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}]});
    let run_counting = run(&single(counting), json!({"FunctionName": "raise_exception"}), failing(&["E"; 4]));
    let counts: Vec<&Value> = run_counting.tasks.iter().map(|t| &t.parameters["Payload"]["RetryCount"]).collect();
    assert_eq!(counts, [0, 1, 2, 3]);
}

// ---- Task: Catch ------------------------------------------------------------

// concepts-error-handling.html ("Fallback states": the java.lang.Exception
// example; "States.TaskFailed ... matches any error except
// States.Timeout"); input-output-resultpath.html ("Include Both Error and
// Input in a Catch"). Columns: error | cause | state caught in | output.
#[test]
fn catch_picks_the_first_matching_catcher_and_places_the_error() {
    let definition = j(r#"{"StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:HelloFunction","End":true,"Catch":[
            {"ErrorEquals":["java.lang.Exception"],"ResultPath":"$.error-info","Next":"RecoveryState"},
            {"ErrorEquals":["States.TaskFailed"],"Next":"TaskFailedState"},
            {"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"EndState"}]},
        "RecoveryState":{"Type":"Pass","End":true},"TaskFailedState":{"Type":"Pass","End":true},"EndState":{"Type":"Pass","End":true}}}"#);
    let cases = r#"
        "java.lang.Exception" | "boom" | RecoveryState | {"foo":"bar","error-info":{"Error":"java.lang.Exception","Cause":"boom"}}
        "Lambda.Unknown" | null | TaskFailedState | {"Error":"Lambda.Unknown"}
        "States.Timeout" | null | EndState | {"foo":"bar","error":{"Error":"States.Timeout"}}
    "#;
    for row in table(cases) {
        let failure: Failure =
            serde_json::from_value(json!({"error": j(row[0]), "cause": j(row[1])})).expect("failure");
        let run = run(&definition, json!({"foo": "bar"}), |_| Err(failure.clone()));
        assert_eq!(entered(&run), ["T", row[2]], "{row:?}");
        assert_eq!(run.output(), &j(row[3]), "{row:?}");
    }
}

// Conformance test_task_service_lambda__test_raise_exception_catch:
// Lambda.Unknown does not match "Exception", States.TaskFailed does.
#[test]
fn caught_service_task_failure_exits_the_task_state() {
    let definition = j(r#"{"StartAt":"Start","States":{
        "Start":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName.$":"$.FunctionName","Payload.$":"$.Payload"},
          "Catch":[{"ErrorEquals":["Lambda.Unknown"],"Next":"EndWithLambdaUnknownHandler"},{"ErrorEquals":["States.TaskFailed"],"Next":"EndWithStateTaskFailedHandler"},{"ErrorEquals":["States.ALL"],"Next":"EndWithAllHandler"}],
          "Next":"EndWithFinal"},
        "EndWithLambdaUnknownHandler":{"Type":"Pass","ResultPath":"$.lambda_unknown","End":true},
        "EndWithStateTaskFailedHandler":{"Type":"Pass","ResultPath":"$.task_failed_error","End":true},
        "EndWithAllHandler":{"Type":"Pass","ResultPath":"$.all_error","End":true},
        "EndWithFinal":{"Type":"Pass","ResultPath":"$.final","End":true}}}"#);
    let cause = r#"{"errorMessage":"Some exception was raised.","errorType":"Exception"}"#;
    let input = json!({"FunctionName": "raise_exception", "Payload": null});
    let run = run(&definition, input, |_| Err(Failure::new("Exception", cause)));
    let error = json!({"Error": "Exception", "Cause": cause});
    let mut expected = error.clone();
    expected["task_failed_error"] = error;
    assert_eq!(run.output(), &expected);
    let events = "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskFailed TaskStateExited PassStateEntered PassStateExited ExecutionSucceeded";
    assert_eq!(run.types(), words(events));
}

// concepts-error-handling.html, States.Runtime: "A retry or catch on
// States.ALL will not catch States.Runtime errors"; conformance
// test_base_scenarios__test_catch_states_runtime: not even a catcher naming
// States.Runtime catches a bad OutputPath.
#[test]
fn runtime_errors_are_not_caught() {
    for error_equals in [json!(["States.ALL"]), json!(["States.Runtime"])] {
        let definition = json!({"StartAt": "RaiseRuntime", "States": {
            "RaiseRuntime": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:111111111111:function:id_function",
                "OutputPath": "$.no.such.result.path", "Catch": [{"ErrorEquals": error_equals, "Next": "CaughtRuntime"}],
                "Next": "Final"},
            "CaughtRuntime": {"Type": "Pass", "End": true}, "Final": {"Type": "Pass", "End": true}}});
        let run = run(&definition, json!({}), |r| Ok(r.parameters.clone()));
        let cause = "An error occurred while executing the state 'RaiseRuntime' (entered at the event id #2). Invalid path '$.no.such.result.path' : Missing property in path $['no']";
        assert_eq!(run.failure(), &Failure::new("States.Runtime", cause), "{error_equals}");
    }
}

// ---- Choice -----------------------------------------------------------------

// state-choice.html (Choice state example), recorded as conformance
// test_base_scenarios__test_choice_aws_docs_scenario_CHOICE_STATE_AWS_SCENARIO
// with Pass states for the Tasks; with no match the Default runs.
// Columns: input | state chosen.
#[test]
fn choice_takes_the_first_matching_rule_or_the_default() {
    let definition = j(r#"{"StartAt":"ChoiceStateX","States":{"ChoiceStateX":{"Type":"Choice","Choices":[
        {"Not":{"Variable":"$.type","StringEquals":"Private"},"Next":"Public"},
        {"Variable":"$.value","NumericEquals":0,"Next":"ValueIsZero"},
        {"And":[{"Variable":"$.value","NumericGreaterThanEquals":20},{"Variable":"$.value","NumericLessThan":30}],"Next":"ValueInTwenties"}],
        "Default":"DefaultState"},
        "Public":{"Type":"Pass","End":true},"ValueIsZero":{"Type":"Pass","End":true},
        "ValueInTwenties":{"Type":"Pass","End":true},"DefaultState":{"Type":"Fail","Cause":"No Matches!"}}}"#);
    let cases = r#"
        {"type":"Private","value":22} | ValueInTwenties
        {"type":"Public","value":22} | Public
        {"type":"Private","value":0} | ValueIsZero
        {"type":"Private","value":35} | DefaultState
    "#;
    for row in table(cases) {
        let run = run(&definition, j(row[0]), no_tasks);
        assert_eq!(entered(&run), ["ChoiceStateX", row[1]], "{row:?}");
        if row[1] != "DefaultState" {
            assert_eq!(run.output(), &j(row[0]), "a Choice passes its input on");
        }
    }
    let run = run(&definition, json!({"type": "Private", "value": 22}), no_tasks);
    let events =
        "ExecutionStarted ChoiceStateEntered ChoiceStateExited PassStateEntered PassStateExited ExecutionSucceeded";
    assert_eq!(run.types(), words(events));
}

// concepts-error-handling.html, States.NoChoiceMatched: no rule matches and
// there is no Default; conformance test_context_object__test_variable: a
// rule may read the context object.
#[test]
fn choice_without_match_or_default_fails_and_rules_read_the_context() {
    let no_default = j(r#"{"StartAt":"C","States":{"Zero":{"Type":"Pass","End":true},
        "C":{"Type":"Choice","Choices":[{"Variable":"$.value","NumericEquals":0,"Next":"Zero"}]}}}"#);
    let run_none = run(&no_default, json!({"value": 1}), no_tasks);
    assert_eq!(run_none.failure().error, "States.NoChoiceMatched");
    assert_eq!(run_none.types(), words("ExecutionStarted ChoiceStateEntered ExecutionFailed"));

    let context = j(r#"{"StartAt":"TestState","States":{"TestState":{"Type":"Choice","Choices":[
        {"Variable":"$$.Execution.Input.input-value","NumericLessThanEquals":0,"Next":"QuitChoiceMatched"}],"Default":"QuitNoChoiceMatched"},
        "QuitChoiceMatched":{"Type":"Pass","End":true},"QuitNoChoiceMatched":{"Type":"Pass","End":true}}}"#);
    let run_ctx = run(&context, json!({"input-value": 0}), no_tasks);
    assert_eq!(entered(&run_ctx), ["TestState", "QuitChoiceMatched"]);
    assert_eq!(run_ctx.output(), &json!({"input-value": 0}));
}

// ---- Wait -------------------------------------------------------------------

// state-wait.html (10 seconds; until 2016-03-14T01:59:00Z, literally or by
// TimestampPath); conformance test_wait__test_base_wait_seconds_path_1 and
// ..._0, test_base_scenarios__test_wait_timestamp_path_NANOSECONDS. Columns:
// state | input | due time, ms after the start (`+`) or since the epoch.
#[test]
fn wait_asks_for_a_timer_due_at_the_right_time() {
    let cases = r#"
        {"Type":"Wait","Seconds":10} | {} | +10000
        {"Type":"Wait","Timestamp":"2016-03-14T01:59:00Z"} | {} | 1457920740000
        {"Type":"Wait","TimestampPath":"$.expirydate"} | {"expirydate":"2016-03-14T01:59:00Z"} | 1457920740000
        {"Type":"Wait","SecondsPath":"$.input.waitSeconds"} | {"input":{"waitSeconds":1}} | +1000
        {"Type":"Wait","SecondsPath":"$.input.waitSeconds"} | {"input":{"waitSeconds":0}} | +0
        {"Type":"Wait","TimestampPath":"$.TimestampValue"} | {"TimestampValue":"2016-03-05T21:29:29.243167252Z"} | 1457213369243
    "#;
    for row in table(cases) {
        let run = run(&single(j(row[0])), j(row[1]), no_tasks);
        let at = match row[2].strip_prefix('+') {
            Some(after) => START_TIME + after.parse::<i64>().expect("ms"),
            None => row[2].parse().expect("ms"),
        };
        assert_eq!(run.timers.iter().map(|t| t.at).collect::<Vec<_>>(), [at], "{row:?}");
        assert_eq!(run.output(), &j(row[1]), "{row:?}: a Wait passes its input on");
        assert_eq!(run.types(), words("ExecutionStarted WaitStateEntered WaitStateExited ExecutionSucceeded"));
    }
}

// Conformance test_wait__test_base_wait_seconds_path_-1.5, ..._1.5 and
// test_base_scenarios__test_wait_timestamp_path_NO_Z. Columns: state name |
// state | input | cause after "An error occurred while executing the state
// '<name>' (entered at the event id #2). ".
#[test]
fn wait_paths_that_are_not_a_duration_or_timestamp_fail() {
    let cases = r#"
        WaitState | {"Type":"Wait","SecondsPath":"$.input.waitSeconds"} | {"input":{"waitSeconds":-1.5}} | The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == -1.5
        WaitState | {"Type":"Wait","SecondsPath":"$.input.waitSeconds"} | {"input":{"waitSeconds":1.5}} | The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == 1.5
        WaitUntil | {"Type":"Wait","TimestampPath":"$.TimestampValue"} | {"TimestampValue":"2016-12-05T21:29:29"} | The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.TimestampValue == 2016-12-05T21:29:29
    "#;
    for row in table(cases) {
        let run = run(&single_named(row[0], j(row[1])), j(row[2]), no_tasks);
        let prefix = format!("An error occurred while executing the state '{}' (entered at the event id #2).", row[0]);
        let cause = format!("{prefix} {}", row[3]);
        assert_eq!(run.failure(), &Failure::new("States.Runtime", cause), "{row:?}");
        assert_eq!(run.types(), words("ExecutionStarted WaitStateEntered ExecutionFailed"), "{row:?}");
    }
}

// ---- Succeed and Fail -------------------------------------------------------

// state-succeed.html (example); its events as conformance
// test_base_scenarios__test_map_state_legacy_config_inline_item_selector
// records them.
#[test]
fn succeed_ends_the_execution_with_its_input() {
    let run = run(&single(json!({"Type": "Succeed"})), json!({"a": [1, 2]}), no_tasks);
    assert_eq!(run.output(), &json!({"a": [1, 2]}));
    assert_eq!(run.types(), words("ExecutionStarted SucceedStateEntered SucceedStateExited ExecutionSucceeded"));
}

// state-fail.html (examples: literal, by reference path, by States.Format);
// conformance test_base__test_state_fail, test_base__test_state_fail_path
// and test_base__test_state_fail_empty (ExecutionFailed without error or
// cause); a Cause alone as in state-choice.html's DefaultState. Columns:
// state | input | ExecutionFailed error | cause.
#[test]
fn fail_reports_error_and_cause_from_literals_paths_or_intrinsics() {
    let cases = r#"
        {"Type":"Fail","Cause":"Invalid response.","Error":"ErrorA"} | {} | "ErrorA" | "Invalid response."
        {"Type":"Fail","Error":"SomeFailure","Cause":"This state machines raises a 'SomeFailure' failure."} | {} | "SomeFailure" | "This state machines raises a 'SomeFailure' failure."
        {"Type":"Fail","ErrorPath":"$.Error","CausePath":"$.Cause"} | {"Error":"error string","Cause":"cause string"} | "error string" | "cause string"
        {"Type":"Fail","CausePath":"States.Format('This is a custom error message for {}, caused by {}.', $.Error, $.Cause)","ErrorPath":"States.Format('{}', $.Error)"} | {"Error":"ErrorA","Cause":"Invalid response"} | "ErrorA" | "This is a custom error message for ErrorA, caused by Invalid response."
        {"Type":"Fail"} | {} | null | null
        {"Type":"Fail","Cause":"No Matches!"} | {} | null | "No Matches!"
    "#;
    for row in table(cases) {
        let run = run(&single(j(row[0])), j(row[1]), no_tasks);
        let (error, cause) = run.execution_failed();
        assert_eq!((json!(error), json!(cause)), (j(row[2]), j(row[3])), "{row:?}");
        assert_eq!(run.types(), words("ExecutionStarted FailStateEntered ExecutionFailed"), "{row:?}");
    }
}

// ---- Parallel ---------------------------------------------------------------

// Conformance test_base_scenarios__test_parallel_state_order and
// ..._PARALLEL_STATE_PARAMETERS; state-parallel.html (FunWithMath: both
// activities get [3, 2], the output is [5, 1]).
#[test]
fn parallel_outputs_each_branch_result_in_branch_order() {
    let branch = |name: &str, state: Value| json!({"StartAt": name, "States": {name: state}});
    let pass = |result: i64| json!({"Type": "Pass", "Result": {"branch": result}, "End": true});
    let order = (0..4).map(|i| branch(&format!("Branch{i}"), pass(i))).collect::<Vec<_>>();
    let order = json!({"StartAt": "StartState", "States": {"StartState": {"Type": "Parallel", "End": true, "Branches": order}}});
    let run_order = run(&order, json!({}), no_tasks);
    assert_eq!(run_order.output(), &json!([{"branch": 0}, {"branch": 1}, {"branch": 2}, {"branch": 3}]));

    let identity = json!({"Type": "Pass", "End": true});
    let parameters = json!({"StartAt": "TestState", "States": {"TestState": {"Type": "Parallel", "End": true,
        "Parameters": {"static-input-0": 0, "static-input-1": [1]},
        "Branches": [branch("Branch0State0", identity.clone()), branch("Branch1State0", identity)]}}});
    let each = json!({"static-input-0": 0, "static-input-1": [1]});
    assert_eq!(run(&parameters, json!({}), no_tasks).output(), &json!([each, each]));

    let activity = |name: &str| {
        let resource = format!("arn:aws:states:us-east-1:123456789012:activity:{name}");
        branch(name, json!({"Type": "Task", "Resource": resource, "End": true}))
    };
    let math = json!({"StartAt": "FunWithMath", "States": {"FunWithMath": {"Type": "Parallel", "End": true,
        "Branches": [activity("Add"), activity("Subtract")]}}});
    let run_math = run(&math, json!([3, 2]), |r| {
        let (a, b) = (r.parameters[0].as_i64().unwrap_or(0), r.parameters[1].as_i64().unwrap_or(0));
        Ok(if r.resource.ends_with(":Add") { json!(a + b) } else { json!(a - b) })
    });
    assert!(run_math.tasks.iter().all(|t| t.parameters == json!([3, 2])));
    assert_eq!(run_math.output(), &json!([5, 1]));
}

// state-parallel.html, "Error Handling": a failing branch fails the whole
// state; conformance test_base_scenarios__test_parallel_state_catch.
#[test]
fn parallel_fails_with_a_failing_branch_unless_caught() {
    let failing_branch = json!({"StartAt": "Branch1", "States": {"Branch1": {"Type": "Fail", "Error": "FailureType",
        "Cause": "Cause description"}}});
    let caught = json!({"StartAt": "ParallelState", "States": {
        "ParallelState": {"Type": "Parallel", "Branches": [failing_branch],
            "Catch": [{"ErrorEquals": ["FailureType"], "Next": "FinalCaught"}], "Next": "Final"},
        "FinalCaught": {"Type": "Pass", "End": true}, "Final": {"Type": "Pass", "End": true}}});
    let run_caught = run(&caught, json!({}), no_tasks);
    assert_eq!(run_caught.output(), &json!({"Error": "FailureType", "Cause": "Cause description"}));
    let events = "ExecutionStarted ParallelStateEntered ParallelStateStarted FailStateEntered ParallelStateFailed ParallelStateExited PassStateEntered PassStateExited ExecutionSucceeded";
    assert_eq!(run_caught.types(), words(events));

    let passing_branch = json!({"StartAt": "Ok", "States": {"Ok": {"Type": "Pass", "End": true}}});
    let uncaught = single(json!({"Type": "Parallel", "Branches": [passing_branch, failing_branch]}));
    let run_uncaught = run(&uncaught, json!({}), no_tasks);
    assert_eq!(run_uncaught.failure(), &Failure::new("FailureType", "Cause description"));
    assert!(run_uncaught.types().ends_with(&["ParallelStateFailed", "ExecutionFailed"]), "{:?}", run_uncaught.types());
}

// concepts-error-handling.html: "Task, Parallel, and Map states can have a
// field named Retry"; a retried Parallel state runs all its branches again.
#[test]
fn parallel_retry_runs_the_branches_again() {
    let failing_branch = json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "c"}}});
    let definition = single(json!({"Type": "Parallel", "Branches": [failing_branch],
        "Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 2, "MaxAttempts": 1}]}));
    let run = run(&definition, json!({}), no_tasks);
    assert_eq!(run.children.len(), 2, "the first run and one retry");
    assert_eq!(run.delays(), [2000]);
    assert_eq!(run.failure(), &Failure::new("E", "c"));
}

// ---- Map --------------------------------------------------------------------

// input-output-itemspath.html (ItemsPath example); input-output-itemselector.html
// (ItemSelector example); input-output-contextobject.html#contextobject-map
// (legacy Parameters and Iterator); conformance
// test_base_scenarios__test_map_state_legacy_config_inline_item_selector.
#[test]
fn map_runs_each_item_through_the_processor() {
    check_single(
        r#"
        {"Type":"Map","ItemsPath":"$.ThingsPiratesSay","Iterator":{"StartAt":"SayWord","States":{"SayWord":{"Type":"Pass","End":true}}}} | {"ThingsPiratesSay":[{"say":"Avast!"},{"say":"Yar!"},{"say":"Walk the Plank!"}],"ThingsGiantsSay":[{"say":"Fee!"},{"say":"Fi!"},{"say":"Fo!"},{"say":"Fum!"}]} | [{"say":"Avast!"},{"say":"Yar!"},{"say":"Walk the Plank!"}]
        {"Type":"Map","ItemSelector":{"size":10,"value.$":"$$.Map.Item.Value"},"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}} | [{"resize":"true","format":"jpg"},{"resize":"false","format":"png"},{"resize":"true","format":"jpg"}] | [{"size":10,"value":{"resize":"true","format":"jpg"}},{"size":10,"value":{"resize":"false","format":"png"}},{"size":10,"value":{"resize":"true","format":"jpg"}}]
        {"Type":"Map","Parameters":{"ContextIndex.$":"$$.Map.Item.Index","ContextValue.$":"$$.Map.Item.Value"},"Iterator":{"StartAt":"TestPass","States":{"TestPass":{"Type":"Pass","End":true}}}} | [{"who":"bob"},{"who":"meg"},{"who":"joe"}] | [{"ContextIndex":0,"ContextValue":{"who":"bob"}},{"ContextIndex":1,"ContextValue":{"who":"meg"}},{"ContextIndex":2,"ContextValue":{"who":"joe"}}]
        {"Type":"Map","MaxConcurrency":1,"ItemSelector":{"constantValue":"constant","mapValue.$":"$$.Map.Item.Value","fromInput.$":"$"},"Iterator":{"StartAt":"IteratorInner","States":{"IteratorInner":{"Type":"Pass","End":true}},"ProcessorConfig":{"Mode":"INLINE"}}} | ["Hello","World"] | [{"constantValue":"constant","mapValue":"Hello","fromInput":["Hello","World"]},{"constantValue":"constant","mapValue":"World","fromInput":["Hello","World"]}]
        "#,
    );
}

// amazon-states-language-map-state.html ("Map State Example" and "... with
// Parameters"): each ship-val invocation gets one shipped item (or
// {parcel, courier}); ResultPath $.detail.shipped overwrites that field of
// the raw input; MaxConcurrency 0 reaches the engine as 0 (no limit).
#[test]
fn map_input_path_items_path_parameters_and_result_path() {
    let input = j(r#"{"ship-date":"2016-03-14T01:59:00Z","detail":{"delivery-partner":"UQS","shipped":[
        {"prod":"R31","dest-code":9511,"quantity":1344},{"prod":"S39","dest-code":9511,"quantity":40},
        {"prod":"R31","dest-code":9833,"quantity":12},{"prod":"R40","dest-code":9860,"quantity":887},
        {"prod":"R40","dest-code":9511,"quantity":1220}]}}"#);
    let iterator = j(
        r#"{"StartAt":"Validate","States":{"Validate":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:ship-val","End":true}}}"#,
    );
    let plain = json!({"Type": "Map", "InputPath": "$.detail", "ItemsPath": "$.shipped", "MaxConcurrency": 0,
        "Iterator": iterator, "ResultPath": "$.detail.shipped"});
    let run_plain = run(&single(plain.clone()), input.clone(), |_| Ok(json!("valid")));
    let payloads: Vec<Value> = run_plain.tasks.iter().map(|t| t.parameters.clone()).collect();
    assert_eq!(json!(payloads), input["detail"]["shipped"]);
    let mut expected = input.clone();
    expected["detail"]["shipped"] = json!(["valid", "valid", "valid", "valid", "valid"]);
    assert_eq!(run_plain.output(), &expected);
    assert_eq!(run_plain.children[0].max_concurrency, 0);

    let mut with_parameters = plain;
    with_parameters["Parameters"] = json!({"parcel.$": "$$.Map.Item.Value", "courier.$": "$.delivery-partner"});
    let run_parameters = run(&single(with_parameters), input, |_| Ok(json!("valid")));
    let first = json!({"parcel": {"prod": "R31", "dest-code": 9511, "quantity": 1344}, "courier": "UQS"});
    assert_eq!(run_parameters.tasks[0].parameters, first);
}

// Conformance test_base_scenarios__test_map_state_parameters_singleton_legacy,
// ..._test_map_state_item_selector_parameters and ..._test_map_state_legacy
// (MaxConcurrency 1: AWS ran the items in order, as the driver does).
#[test]
fn map_matches_recorded_outputs_and_histories() {
    let singleton = j(
        r#"{"StartAt":"StartState","States":{"StartState":{"Type":"Pass","Result":{"detail":{"delivery-partner":"UQS","shipped":["A","B","C"]}},"Next":"MapState"},
        "MapState":{"Type":"Map","ResultPath":"$.detail.shipped_output","InputPath":"$.detail","ItemsPath":"$.shipped","MaxConcurrency":1,
          "Parameters":{"original_input.$":"$","iteration_input_value.$":"$$.Map.Item.Value","iteration_index.$":"$$.Map.Item.Index","from_input_constant.$":"$.delivery-partner","constant_value":"HelloWorld"},
          "Iterator":{"StartAt":"HandleItem","States":{"HandleItem":{"Type":"Pass","End":true}}},"Next":"Final"},
        "Final":{"Type":"Pass","End":true}}}"#,
    );
    let original = json!({"delivery-partner": "UQS", "shipped": ["A", "B", "C"]});
    let item = |i: usize, v: &str| {
        json!({"constant_value": "HelloWorld", "iteration_input_value": v, "from_input_constant": "UQS",
            "iteration_index": i, "original_input": original})
    };
    let mut expected = json!({"detail": original});
    expected["detail"]["shipped_output"] = json!([item(0, "A"), item(1, "B"), item(2, "C")]);
    assert_eq!(run(&singleton, json!({}), no_tasks).output(), &expected);

    let selector = j(
        r#"{"StartAt":"Start","States":{"Start":{"Type":"Pass","Parameters":{"bucket":"test-bucket","values":["1","2","3"]},"ResultPath":"$.content","Next":"MapState"},
        "MapState":{"Type":"Map","MaxConcurrency":1,"ItemsPath":"$.content.values","ItemSelector":{"bucketName.$":"$.content.bucket","value.$":"$$.Map.Item.Value"},
          "ItemProcessor":{"StartAt":"EndState","ProcessorConfig":{"Mode":"INLINE"},"States":{"EndState":{"Type":"Pass","Parameters":{"message":"Processing item completed"},"End":true}}},
          "ResultPath":null,"End":true}}}"#,
    );
    let run_selector = run(&selector, json!({}), no_tasks);
    assert_eq!(run_selector.output(), &j(r#"{"content":{"bucket":"test-bucket","values":["1","2","3"]}}"#));
    let inputs = run_selector.history[6..].iter().filter_map(|e| match &e.details {
        Details::StateEntered { input, .. } => Some(j(input)),
        _ => None,
    });
    let each = |v: &str| json!({"bucketName": "test-bucket", "value": v});
    assert_eq!(inputs.collect::<Vec<_>>(), [each("1"), each("2"), each("3")]);
    let iteration = " MapIterationStarted PassStateEntered PassStateExited MapIterationSucceeded";
    let events = format!(
        "ExecutionStarted PassStateEntered PassStateExited MapStateEntered MapStateStarted{} MapStateSucceeded MapStateExited ExecutionSucceeded",
        iteration.repeat(3)
    );
    assert_eq!(run_selector.types(), words(&events));

    let legacy = j(
        r#"{"StartAt":"StartState","States":{"StartState":{"Type":"Pass","Result":[1,"Hello",{},null,3.3,3,4,5],"ResultPath":"$.arr","Next":"MapState"},
        "MapState":{"Type":"Map","ResultPath":null,"InputPath":"$.arr","MaxConcurrency":1,"Iterator":{"StartAt":"HandleItem","States":{"HandleItem":{"Type":"Pass","End":true}}},"Next":"Final"},
        "Final":{"Type":"Pass","End":true}}}"#,
    );
    let run_legacy = run(&legacy, json!({}), no_tasks);
    assert_eq!(run_legacy.output(), &j(r#"{"arr":[1,"Hello",{},null,3.3,3,4,5]}"#));
    let events = format!(
        "ExecutionStarted PassStateEntered PassStateExited MapStateEntered MapStateStarted{} MapStateSucceeded MapStateExited PassStateEntered PassStateExited ExecutionSucceeded",
        iteration.repeat(8)
    );
    assert_eq!(run_legacy.types(), words(&events));
    assert_eq!(run_legacy.children[0].max_concurrency, 1);
}

// Conformance test_base_scenarios__test_max_concurrency_path_1 and
// test_base_scenarios__test_map_state_items_input_array_empty (recorded in
// JSONata; run here as the same Map in JSONPath): no items give [] and no
// iterations.
#[test]
fn map_passes_max_concurrency_and_maps_an_empty_array_to_empty() {
    let path = j(
        r#"{"StartAt":"MapState","States":{"MapState":{"Type":"Map","ItemsPath":"$.Values","MaxConcurrencyPath":"$.MaxConcurrencyValue",
        "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"HandleItem","States":{"HandleItem":{"Type":"Pass","End":true}}},"Next":"Final"},
        "Final":{"Type":"Pass","End":true}}}"#,
    );
    let run_path = run(&path, json!({"MaxConcurrencyValue": 1, "Values": ["HelloWorld"]}), no_tasks);
    assert_eq!(run_path.output(), &json!(["HelloWorld"]));
    assert_eq!(run_path.children[0].max_concurrency, 1);

    let empty = j(
        r#"{"StartAt":"Start","States":{"Start":{"Type":"Pass","InputPath":"$.items","Next":"MapIterateState"},
        "MapIterateState":{"Type":"Map","MaxConcurrency":1,"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"Pass","States":{"Pass":{"Type":"Pass","End":true}}},"End":true}}}"#,
    );
    let run_empty = run(&empty, json!({"items": []}), no_tasks);
    assert_eq!(run_empty.output(), &json!([]));
    let events = "ExecutionStarted PassStateEntered PassStateExited MapStateEntered MapStateStarted MapStateSucceeded MapStateExited ExecutionSucceeded";
    assert_eq!(run_empty.types(), words(events));
}

// Conformance test_base_scenarios__test_map_state_catch: a failing item
// fails the Map state, and its Catch passes the item's error on.
#[test]
fn map_item_failure_fails_the_state_and_can_be_caught() {
    let definition = j(
        r#"{"StartAt":"StartState","States":{"StartState":{"Type":"Pass","Result":[1],"ResultPath":"$.arr","Next":"MapState"},
        "MapState":{"Type":"Map","ResultPath":null,"InputPath":"$.arr","MaxConcurrency":1,
          "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"HandleItemFail","States":{"HandleItemFail":{"Type":"Fail","Error":"HandleItemFailError","Cause":"HandleItemFailCause"}}},
          "Catch":[{"ErrorEquals":["HandleItemFailError"],"Next":"FinalCaught"}],"Next":"Final"},
        "FinalCaught":{"Type":"Pass","End":true},"Final":{"Type":"Pass","End":true}}}"#,
    );
    let run = run(&definition, json!({}), no_tasks);
    assert_eq!(run.output(), &json!({"Error": "HandleItemFailError", "Cause": "HandleItemFailCause"}));
    let events = "ExecutionStarted PassStateEntered PassStateExited MapStateEntered MapStateStarted MapIterationStarted FailStateEntered MapIterationFailed MapStateFailed MapStateExited PassStateEntered PassStateExited ExecutionSucceeded";
    assert_eq!(run.types(), words(events));
}
