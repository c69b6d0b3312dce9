//! Names of state machines and executions: the characters AWS allows
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html#StepFunctions-CreateStateMachine-request-name>),
//! and the UUID an execution is named by when StartExecution gives no name.

use super::ApiError;

/// Characters a name must not contain besides white space and control
/// characters: brackets `< > { } [ ]`, wildcards `? *` and the special
/// characters `" # % \ ^ | ~ ` $ & , ; : /`.
const FORBIDDEN: &str = "<>{}[]?*\"#%\\^|~`$&,;:/";

/// Whether AWS allows `c` in a name: no white space, no [`FORBIDDEN`]
/// character, no control character (U+0000–001F, U+007F–009F) and no
/// non-character U+FFFE–FFFF or U+10FFFF. (Rust strings hold no surrogates.)
fn allowed(c: char) -> bool {
    !(c.is_whitespace()
        || FORBIDDEN.contains(c)
        || matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' | '\u{10ffff}'))
}

/// `InvalidName` unless every character of `name` is allowed (its length is
/// checked with the other constraints).
pub(crate) fn check(name: &str) -> Result<(), ApiError> {
    if name.chars().all(allowed) { Ok(()) } else { Err(ApiError::InvalidName(format!("Invalid Name: '{name}'"))) }
}

/// A random (version 4) UUID, as AWS names executions started without a
/// name and as it spells revision ids.
pub(crate) fn new_uuid() -> String {
    let mut b = [0u8; 16];
    // The OS generator failing is not something a caller can act on.
    getrandom::fill(&mut b).expect("the operating system's random generator is available");
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_forbidden_characters_are_invalid() {
        for good in ["HelloWorld", "my-state_machine.v2", "ÜberFlow", "a+b=c@d!"] {
            assert!(check(good).is_ok(), "{good}");
        }
        for bad in ["my name", "a/b", "a:b", "tab\there", "x\u{85}", "<x>", "what?", "50%"] {
            assert_eq!(check(bad), Err(ApiError::InvalidName(format!("Invalid Name: '{bad}'"))), "{bad}");
        }
    }

    #[test]
    fn uuids_are_version_4() {
        let id = new_uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(id.as_bytes()[14], b'4');
        assert!(matches!(id.as_bytes()[19], b'8' | b'9' | b'a' | b'b'));
        assert_ne!(id, new_uuid());
    }
}
