//! Step Functions ARNs: `arn:<partition>:states:<region>:<account>:stateMachine:<name>`
//! and `…:execution:<state machine>:<name>`
//! (<https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html#awsstepfunctions-resources-for-iam-policies>),
//! parsed into newtypes whose errors read as AWS's `InvalidArn` messages.

use super::ApiError;
use std::fmt;
use std::str::FromStr;

/// Why text is not the ARN expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArnError {
    /// It does not start with `arn:` (AWS: "Invalid ARN prefix: not_a_valid_arn").
    #[error("Invalid ARN prefix: {0}")]
    Prefix(String),
    /// It starts like an ARN but is not a well-formed Step Functions ARN.
    #[error("{0}")]
    Malformed(String),
    /// It names another kind of resource (AWS: "Resource type not valid in
    /// this context: execution" for an execution ARN given to StartExecution).
    #[error("Resource type not valid in this context: {0}")]
    ResourceType(String),
}

impl From<ArnError> for ApiError {
    fn from(error: ArnError) -> Self {
        ApiError::InvalidArn(format!("Invalid Arn: '{error}'"))
    }
}

/// The fields every ARN has.
struct Parts<'a> {
    partition: &'a str,
    service: &'a str,
    region: &'a str,
    account: &'a str,
    resource: &'a str,
}

fn parts(text: &str) -> Result<Parts<'_>, ArnError> {
    let rest = text.strip_prefix("arn:").ok_or_else(|| ArnError::Prefix(text.to_owned()))?;
    let mut it = rest.splitn(5, ':');
    let mut next = || it.next().ok_or_else(|| ArnError::Malformed(text.to_owned()));
    let parts = Parts { partition: next()?, service: next()?, region: next()?, account: next()?, resource: next()? };
    if parts.partition.is_empty() || parts.resource.is_empty() {
        return Err(ArnError::Malformed(text.to_owned()));
    }
    Ok(parts)
}

/// Checks the parts of a Step Functions ARN and returns the text after
/// `<resource type>:`, which must be `expected`.
fn states_resource<'a>(text: &'a str, expected: &str) -> Result<(Parts<'a>, &'a str), ArnError> {
    let p = parts(text)?;
    let region_ok =
        !p.region.is_empty() && p.region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let account_ok = p.account.len() == 12 && p.account.bytes().all(|b| b.is_ascii_digit());
    if p.service != "states" || !region_ok || !account_ok {
        return Err(ArnError::Malformed(text.to_owned()));
    }
    let (kind, rest) = p.resource.split_once(':').unwrap_or((p.resource, ""));
    if kind != expected {
        return Err(ArnError::ResourceType(kind.to_lowercase()));
    }
    if rest.is_empty() {
        return Err(ArnError::Malformed(text.to_owned()));
    }
    Ok((p, rest))
}

/// A state machine's ARN, possibly qualified by a version (`:1`), an alias
/// (`:PROD`) or a Distributed Map label (`/label`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateMachineArn {
    /// e.g. `aws`.
    pub partition: String,
    /// e.g. `us-east-1`.
    pub region: String,
    /// e.g. `123456789012`.
    pub account: String,
    /// The state machine's name.
    pub name: String,
    /// The qualifier with its separator (`:1`, `/label`), if any.
    pub qualifier: Option<String>,
}

impl StateMachineArn {
    /// The unqualified ARN of state machine `name` in `config`'s region and account.
    pub fn new(config: &crate::engine::Config, name: &str) -> Self {
        StateMachineArn {
            partition: "aws".into(),
            region: config.region.clone(),
            account: config.account.clone(),
            name: name.to_owned(),
            qualifier: None,
        }
    }
}

impl FromStr for StateMachineArn {
    type Err = ArnError;

    fn from_str(text: &str) -> Result<Self, ArnError> {
        let (p, rest) = states_resource(text, "stateMachine")?;
        let split = rest.find([':', '/']).unwrap_or(rest.len());
        let (name, qualifier) = rest.split_at(split);
        if name.is_empty() || qualifier.len() == 1 {
            return Err(ArnError::Malformed(text.to_owned()));
        }
        Ok(StateMachineArn {
            partition: p.partition.to_owned(),
            region: p.region.to_owned(),
            account: p.account.to_owned(),
            name: name.to_owned(),
            qualifier: (!qualifier.is_empty()).then(|| qualifier.to_owned()),
        })
    }
}

impl fmt::Display for StateMachineArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let StateMachineArn { partition, region, account, name, .. } = self;
        write!(f, "arn:{partition}:states:{region}:{account}:stateMachine:{name}")?;
        f.write_str(self.qualifier.as_deref().unwrap_or_default())
    }
}

/// An execution's ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutionArn {
    /// e.g. `aws`.
    pub partition: String,
    /// e.g. `us-east-1`.
    pub region: String,
    /// e.g. `123456789012`.
    pub account: String,
    /// The state machine's name (with `/label` for a Map Run's child).
    pub state_machine: String,
    /// The execution's name.
    pub name: String,
}

impl FromStr for ExecutionArn {
    type Err = ArnError;

    fn from_str(text: &str) -> Result<Self, ArnError> {
        let (p, rest) = states_resource(text, "execution")?;
        match rest.split(':').collect::<Vec<_>>()[..] {
            [state_machine, name] if !state_machine.is_empty() && !name.is_empty() => Ok(ExecutionArn {
                partition: p.partition.to_owned(),
                region: p.region.to_owned(),
                account: p.account.to_owned(),
                state_machine: state_machine.to_owned(),
                name: name.to_owned(),
            }),
            _ => Err(ArnError::Malformed(text.to_owned())),
        }
    }
}

impl fmt::Display for ExecutionArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ExecutionArn { partition, region, account, state_machine, name } = self;
        write!(f, "arn:{partition}:states:{region}:{account}:execution:{state_machine}:{name}")
    }
}

/// Checks an IAM role ARN (`arn:<partition>:iam::<account>:role/<name>`), as
/// CreateStateMachine and UpdateStateMachine require for `roleArn`.
pub(crate) fn check_role(text: &str) -> Result<(), ApiError> {
    let p = parts(text)?;
    if p.service != "iam" || p.account.is_empty() {
        return Err(ArnError::Malformed(text.to_owned()).into());
    }
    match p.resource.split_once('/') {
        Some(("role", name)) if !name.is_empty() => Ok(()),
        Some((kind, _)) => Err(ArnError::ResourceType(kind.to_lowercase()).into()),
        None => Err(ArnError::Malformed(text.to_owned()).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_machine_arns_round_trip() {
        for text in [
            "arn:aws:states:us-east-1:123456789012:stateMachine:HelloWorld",
            "arn:aws:states:us-east-1:123456789012:stateMachine:HelloWorld:1",
            "arn:aws:states:us-east-1:123456789012:stateMachine:HelloWorld:PROD",
            "arn:aws-cn:states:cn-north-1:123456789012:stateMachine:m/mapStateLabel",
        ] {
            let arn: StateMachineArn = text.parse().unwrap();
            assert_eq!(arn.to_string(), text);
        }
        let arn: StateMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:M:3".parse().unwrap();
        assert_eq!((arn.name.as_str(), arn.qualifier.as_deref()), ("M", Some(":3")));
    }

    #[test]
    fn execution_arns_round_trip() {
        let text = "arn:aws:states:us-east-1:123456789012:execution:HelloWorld:run-1";
        let arn: ExecutionArn = text.parse().unwrap();
        assert_eq!((arn.state_machine.as_str(), arn.name.as_str()), ("HelloWorld", "run-1"));
        assert_eq!(arn.to_string(), text);
    }

    // Messages recorded from AWS: "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'"
    // (localstack test_sfn_api.snapshot.json) and "Invalid Arn: 'Resource type
    // not valid in this context: execution'" (an execution ARN given to StartExecution).
    #[test]
    fn invalid_arns_are_reported_as_aws_does() {
        let error = |r: Result<StateMachineArn, ArnError>| ApiError::from(r.unwrap_err()).message().to_owned();
        assert_eq!(error("not_a_valid_arn".parse()), "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'");
        assert_eq!(
            error("arn:aws:states:us-east-1:123456789012:execution:M:e".parse()),
            "Invalid Arn: 'Resource type not valid in this context: execution'"
        );
        for bad in ["arn:aws:states:us-east-1:123:stateMachine:M", "arn:aws:lambda:us-east-1:123456789012:function:f"] {
            assert!(matches!(bad.parse::<StateMachineArn>(), Err(ArnError::Malformed(_))), "{bad}");
        }
        assert!("arn:aws:states:us-east-1:123456789012:execution:M".parse::<ExecutionArn>().is_err());
    }

    #[test]
    fn role_arns_must_name_a_role() {
        assert!(check_role("arn:aws:iam::123456789012:role/service-role/StepFunctions").is_ok());
        assert!(check_role("arn:aws:iam::123456789012:user/alice").is_err());
        assert!(check_role("my-role").is_err());
    }
}
