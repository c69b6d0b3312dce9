//! JSONata errors: the code, position and message text as jsonata-js reports
//! them, because Step Functions quotes them in `States.QueryEvaluationError`
//! causes (e.g. `T1006: Attempted to invoke a non-function`).

use serde_json::Value;

/// A failure to compile or evaluate a JSONata expression.
///
/// `Display` gives `"{code}: {message}"`, the form Step Functions puts after
/// "threw an error during evaluation." in a `States.QueryEvaluationError` cause.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct JsonataError {
    /// The jsonata-js error code: `S0xxx` syntax, `T0xxx`/`T1xxx`/`T2xxx` type, `D1xxx`-`D3xxx` dynamic.
    pub code: &'static str,
    /// Character offset in the expression the error refers to (0 when unknown).
    pub position: usize,
    /// The offending token, when jsonata-js names one.
    pub token: Option<String>,
    /// The message, filled in from jsonata-js's template for `code`.
    pub message: String,
}

/// Values a message template refers to, as jsonata-js's error object carries them.
#[derive(Debug, Default, Clone)]
pub(crate) struct Detail {
    pub token: Option<String>,
    pub value: Option<Value>,
    pub value2: Option<Value>,
    pub index: Option<usize>,
    pub kind: Option<&'static str>,
    pub message: Option<String>,
}

impl JsonataError {
    /// An error with `code` at `position`, its message filled from `detail`.
    pub(crate) fn with(code: &'static str, position: usize, detail: Detail) -> Self {
        let message = render(template(code), &detail);
        JsonataError { code, position, token: detail.token, message }
    }

    /// An error with `code` at `position` whose template needs no values.
    pub(crate) fn new(code: &'static str, position: usize) -> Self {
        Self::with(code, position, Detail::default())
    }

    /// An error with `code` naming `token`.
    pub(crate) fn token(code: &'static str, position: usize, token: impl Into<String>) -> Self {
        Self::with(code, position, Detail { token: Some(token.into()), ..Detail::default() })
    }

    /// An error with `code` quoting `value`.
    pub(crate) fn value(code: &'static str, position: usize, value: Value) -> Self {
        Self::with(code, position, Detail { value: Some(value), ..Detail::default() })
    }
}

/// Fills `{{{field}}}` (raw) and `{{field}}` (JSON-stringified) as jsonata-js's `populateMessage` does.
fn render(template: &str, d: &Detail) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let triple = rest[start..].starts_with("{{{");
        let open = if triple { 3 } else { 2 };
        let after = &rest[start + open..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let field = &after[..end];
        let json = |v: &Option<Value>| v.as_ref().map(stringify).unwrap_or_default();
        let text = match (field, triple) {
            ("token", false) => d.token.as_ref().map(|t| stringify(&Value::String(t.clone()))).unwrap_or_default(),
            ("token", true) | ("functionName", true) => d.token.clone().unwrap_or_default(),
            ("value", _) => json(&d.value),
            ("value2", _) => json(&d.value2),
            ("index", _) => d.index.map(|i| i.to_string()).unwrap_or_default(),
            ("type", _) => d.kind.map(|k| stringify(&Value::String(k.into()))).unwrap_or_default(),
            ("message", _) => d.message.clone().unwrap_or_default(),
            _ => String::new(),
        };
        out.push_str(&text);
        let close = if triple { end + 3 } else { end + 2 };
        rest = after.get(close..).unwrap_or("");
        if triple && after.get(end + 2..end + 3) != Some("}") {
            rest = after.get(end + 2..).unwrap_or("");
        }
    }
    out.push_str(rest);
    out
}

fn stringify(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// jsonata-js's message template for `code`.
fn template(code: &str) -> &'static str {
    match code {
        "S0101" => "String literal must be terminated by a matching quote",
        "S0102" => "Number out of range: {{token}}",
        "S0103" => "Unsupported escape sequence: \\{{token}}",
        "S0104" => "The escape sequence \\u must be followed by 4 hex digits",
        "S0105" => "Quoted property name must be terminated with a backquote (`)",
        "S0106" => "Comment has no closing tag",
        "S0201" => "Syntax error: {{token}}",
        "S0202" => "Expected {{value}}, got {{token}}",
        "S0203" => "Expected {{value}} before end of expression",
        "S0204" => "Unknown operator: {{token}}",
        "S0205" => "Unexpected token: {{token}}",
        "S0207" => "Unexpected end of expression",
        "S0208" => "Parameter {{value}} of function definition must be a variable name (start with $)",
        "S0209" => "A predicate cannot follow a grouping expression in a step",
        "S0210" => "Each step can only have one grouping expression",
        "S0211" => "The symbol {{token}} cannot be used as a unary operator",
        "S0212" => "The left side of := must be a variable name (start with $)",
        "S0213" => "The literal value {{value}} cannot be used as a step within a path expression",
        "S0214" => "The right side of {{token}} must be a variable name (start with $)",
        "S0215" => "A context variable binding must precede any predicates on a step",
        "S0216" => "A context variable binding must precede the 'order-by' clause on a step",
        "S0217" => "The object representing the 'parent' cannot be derived from this expression",
        "S0301" => "Empty regular expressions are not allowed",
        "S0302" => "No terminating / in regular expression",
        "S0401" => "Type parameters can only be applied to functions and arrays",
        "S0402" => "Choice groups containing parameterized types are not supported",
        "T0410" => "Argument {{index}} of function {{token}} does not match function signature",
        "T0411" => "Context value is not a compatible type with argument {{index}} of function {{token}}",
        "T0412" => "Argument {{index}} of function {{token}} must be an array of {{type}}",
        "D1001" => "Number out of range: {{value}}",
        "D1002" => "Cannot negate a non-numeric value: {{value}}",
        "T1003" => "Key in object structure must evaluate to a string; got: {{value}}",
        "D1004" => "Regular expression matches zero length string",
        "T1005" => "Attempted to invoke a non-function. Did you mean ${{{token}}}?",
        "T1006" => "Attempted to invoke a non-function",
        "T1007" => "Attempted to partially apply a non-function. Did you mean ${{{token}}}?",
        "T1008" => "Attempted to partially apply a non-function",
        "D1009" => "Multiple key definitions evaluate to same key: {{value}}",
        "T1010" => {
            "The matcher function argument passed to function {{token}} does not return the correct object structure"
        }
        "D1011" => {
            "Stack overflow. Check for non-terminating recursive function.  Consider rewriting as tail-recursive"
        }
        "T2001" => "The left side of the {{token}} operator must evaluate to a number",
        "T2002" => "The right side of the {{token}} operator must evaluate to a number",
        "T2003" => "The left side of the range operator (..) must evaluate to an integer",
        "T2004" => "The right side of the range operator (..) must evaluate to an integer",
        "T2006" => "The right side of the function application operator ~> must be a function",
        "T2007" => "Type mismatch when comparing values {{value}} and {{value2}} in order-by clause",
        "T2008" => "The expressions within an order-by clause must evaluate to numeric or string values",
        "T2009" => {
            "The values {{value}} and {{value2}} either side of operator {{token}} must be of the same data type"
        }
        "T2010" => "The expressions either side of operator {{token}} must evaluate to numeric or string values",
        "T2011" => "The insert/update clause of the transform expression must evaluate to an object: {{value}}",
        "T2012" => {
            "The delete clause of the transform expression must evaluate to a string or array of strings: {{value}}"
        }
        "D2014" => {
            "The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate {{value}}."
        }
        "D3001" => "Attempting to invoke string function on Infinity or NaN",
        "D3010" => "Second argument of replace function cannot be an empty string",
        "D3011" => "Fourth argument of replace function must evaluate to a positive number",
        "D3012" => "Attempted to replace a matched string with a non-string value",
        "D3020" => "Third argument of split function must evaluate to a positive number",
        "D3030" => "Unable to cast value to a number: {{value}}",
        "D3040" => "Third argument of match function must evaluate to a positive number",
        "D3050" => "The second argument of reduce function must be a function with at least two arguments",
        "D3060" => "The sqrt function cannot be applied to a negative number: {{value}}",
        "D3061" => {
            "The power function has resulted in a value that cannot be represented as a JSON number: base={{value}}, exponent={{value2}}"
        }
        "D3070" => {
            "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function"
        }
        "D3100" => "The radix of the formatBase function must be between 2 and 36.  It was given {{value}}",
        "D3110" => "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given {{value}}",
        "D3137" | "D3141" => "{{{message}}}",
        "D3138" => "The $single() function expected exactly 1 matching result.  Instead it matched more.",
        "D3139" => "The $single() function expected exactly 1 matching result.  Instead it matched 0.",
        "D3140" => "Malformed URL passed to ${{{functionName}}}(): {{value}}",
        _ => "{{{message}}}",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn messages_fill_templates_as_jsonata_js_does() {
        assert_eq!(JsonataError::new("T1006", 0).to_string(), "T1006: Attempted to invoke a non-function");
        assert_eq!(
            JsonataError::token("T2001", 3, "-").message,
            "The left side of the \"-\" operator must evaluate to a number"
        );
        assert_eq!(JsonataError::value("D3030", 0, json!("abc")).message, "Unable to cast value to a number: \"abc\"");
        assert_eq!(
            JsonataError::token("T1005", 0, "sum").message,
            "Attempted to invoke a non-function. Did you mean $sum?"
        );
    }
}
