//! `ScheduleExpression` syntax: `rate(VALUE UNIT)` and six-field `cron(...)` as the
//! EventBridge user guide ("Schedule expressions for rules") defines them. Scheduled rules
//! are stored and listed; the simulator does not fire them.

use super::errors::validation;
use crate::error::AwsError;

fn invalid() -> AwsError {
    validation("Parameter ScheduleExpression is not valid.")
}

/// Checks a schedule expression, failing as AWS does with one message for every mistake.
pub fn check(expr: &str) -> Result<(), AwsError> {
    let ok = if let Some(body) = expr.strip_prefix("rate(").and_then(|r| r.strip_suffix(')')) {
        rate_ok(body)
    } else if let Some(body) = expr.strip_prefix("cron(").and_then(|r| r.strip_suffix(')')) {
        cron_ok(body)
    } else {
        false
    };
    if ok { Ok(()) } else { Err(invalid()) }
}

/// `N minute(s)|hour(s)|day(s)`: a positive whole number, the unit singular exactly for 1.
fn rate_ok(body: &str) -> bool {
    let Some((value, unit)) = body.split_once(' ') else {
        return false;
    };
    let Ok(n) = value.parse::<u64>() else {
        return false;
    };
    if n == 0 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let singular = matches!(unit, "minute" | "hour" | "day");
    let plural = matches!(unit, "minutes" | "hours" | "days");
    (n == 1 && singular) || (n > 1 && plural)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Minutes,
    Hours,
    DayOfMonth,
    Month,
    DayOfWeek,
    Year,
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

impl Field {
    fn bounds(self) -> (u32, u32) {
        match self {
            Field::Minutes => (0, 59),
            Field::Hours => (0, 23),
            Field::DayOfMonth => (1, 31),
            Field::Month => (1, 12),
            Field::DayOfWeek => (1, 7),
            Field::Year => (1970, 2199),
        }
    }

    fn names(self) -> &'static [&'static str] {
        match self {
            Field::Month => &MONTHS,
            Field::DayOfWeek => &DAYS,
            _ => &[],
        }
    }

    /// One value: a number in bounds or, for months and weekdays, a name.
    fn value(self, text: &str) -> Option<u32> {
        let (lo, hi) = self.bounds();
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            return text.parse::<u32>().ok().filter(|n| (lo..=hi).contains(n));
        }
        let upper = text.to_ascii_uppercase();
        self.names()
            .iter()
            .position(|n| *n == upper)
            .map(|i| i as u32 + lo)
    }

    /// `*`, a value or a range `A-B`.
    fn base_ok(self, text: &str) -> bool {
        if text == "*" {
            return true;
        }
        match text.split_once('-') {
            Some((a, b)) => self.value(a).is_some() && self.value(b).is_some(),
            None => self.value(text).is_some(),
        }
    }

    fn item_ok(self, item: &str) -> bool {
        if let Some((base, step)) = item.split_once('/') {
            let step_ok = !step.is_empty()
                && step.bytes().all(|b| b.is_ascii_digit())
                && step.parse::<u32>().is_ok_and(|s| s > 0);
            return step_ok && self.base_ok(base);
        }
        if self.base_ok(item) {
            return true;
        }
        match self {
            // L (last day), LW (last weekday), NW (weekday nearest day N).
            Field::DayOfMonth => {
                item == "L"
                    || item == "LW"
                    || item
                        .strip_suffix('W')
                        .is_some_and(|d| self.value(d).is_some())
            }
            // NL (last weekday N of the month), N#K (K-th weekday N).
            Field::DayOfWeek => {
                item == "L"
                    || item
                        .strip_suffix('L')
                        .is_some_and(|d| self.value(d).is_some())
                    || item.split_once('#').is_some_and(|(d, k)| {
                        self.value(d).is_some() && matches!(k, "1" | "2" | "3" | "4" | "5")
                    })
            }
            _ => false,
        }
    }

    fn ok(self, text: &str) -> bool {
        if text == "?" {
            return matches!(self, Field::DayOfMonth | Field::DayOfWeek);
        }
        !text.is_empty() && text.split(',').all(|item| self.item_ok(item))
    }
}

/// Six fields (minutes, hours, day of month, month, day of week, year); exactly one of the
/// two day fields is `?`.
fn cron_ok(body: &str) -> bool {
    let fields: Vec<&str> = body.split_whitespace().collect();
    let [min, hour, dom, month, dow, year] = fields.as_slice() else {
        return false;
    };
    if (*dom == "?") == (*dow == "?") {
        return false;
    }
    [
        (Field::Minutes, min),
        (Field::Hours, hour),
        (Field::DayOfMonth, dom),
        (Field::Month, month),
        (Field::DayOfWeek, dow),
        (Field::Year, year),
    ]
    .iter()
    .all(|(f, text)| f.ok(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_need_a_positive_value_and_the_matching_unit_number() {
        for ok in [
            "rate(1 minute)",
            "rate(5 minutes)",
            "rate(1 hour)",
            "rate(12 hours)",
            "rate(1 day)",
            "rate(7 days)",
        ] {
            assert!(check(ok).is_ok(), "{ok}");
        }
        for bad in [
            "rate(1 minutes)",
            "rate(5 minute)",
            "rate(0 minutes)",
            "rate(-1 minutes)",
            "rate(5 weeks)",
            "rate(5minutes)",
            "rate(five minutes)",
            "rate()",
            "rate(5 minutes",
            "every 5 minutes",
            "",
        ] {
            let e = check(bad).err();
            assert_eq!(
                e.map(|e| (e.code, e.message)),
                Some((
                    "ValidationException".to_string(),
                    "Parameter ScheduleExpression is not valid.".to_string()
                )),
                "{bad}"
            );
        }
    }

    #[test]
    fn cron_takes_six_fields_with_one_question_mark_day() {
        for ok in [
            "cron(0 12 * * ? *)",
            "cron(15 10 ? * 6L 2002-2005)",
            "cron(0 18 ? * MON-FRI *)",
            "cron(0 8 1 * ? *)",
            "cron(0/15 * * * ? *)",
            "cron(0/10 * ? * MON-FRI *)",
            "cron(0/5 8-17 ? * MON-FRI *)",
            "cron(0 9 ? * 2#1 *)",
            "cron(0 0 L * ? *)",
            "cron(0 0 LW * ? *)",
            "cron(0 0 15W JAN,JUL ? *)",
        ] {
            assert!(check(ok).is_ok(), "{ok}");
        }
        for bad in [
            "cron(0 12 * * * *)",
            "cron(0 12 ? * ? *)",
            "cron(0 12 * * ?)",
            "cron(60 12 * * ? *)",
            "cron(0 24 * * ? *)",
            "cron(0 12 32 * ? *)",
            "cron(0 12 * 13 ? *)",
            "cron(0 12 ? * 8 *)",
            "cron(0 12 * * ? 1969)",
            "cron(0/0 12 * * ? *)",
            "cron(0 12 * FOO ? *)",
            "cron(a b c d e f)",
            "cron()",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }
}
