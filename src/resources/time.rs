//! Time as Open Payments writes it, in one place for the client and the sandbox: RFC 3339
//! timestamps to and from unix seconds, ISO 8601 durations, and the repeating intervals of
//! outgoing-payment grant limits (`R/2026-12-01T00:00:00Z/P1M`: which window a moment falls in,
//! and the interval in words). Integer maths only, proleptic Gregorian calendar, no date library.

use super::common::Timestamp;

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let month = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` for unix seconds.
pub fn format_rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

fn num(text: &str, from: usize, len: usize) -> Option<i64> {
    let part = text.get(from..from + len)?;
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

/// Unix seconds of an RFC 3339 date-time (fractions of a second are dropped, offsets applied).
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let (y, mo, d) = (num(text, 0, 4)?, num(text, 5, 2)?, num(text, 8, 2)?);
    let (h, mi, s) = (num(text, 11, 2)?, num(text, 14, 2)?, num(text, 17, 2)?);
    let month = u32::try_from(mo).ok().filter(|m| (1..=12).contains(m))?;
    let day = u32::try_from(d).ok().filter(|d| *d >= 1)?;
    if day > days_in_month(y, month) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let mut rest = text.get(19..)?;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = frac.get(digits..)?;
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.get(..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.get(3..4)? != ":" {
                return None;
            }
            sign * (num(rest, 1, 2)? * 3600 + num(rest, 4, 2)? * 60)
        }
    };
    Some(days_from_civil(y, month, day) * 86_400 + h * 3600 + mi * 60 + s - offset)
}

/// Adds calendar months (day clamped to the month's length) to unix seconds.
fn add_months(secs: i64, months: i64) -> i64 {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let total = y * 12 + i64::from(m) - 1 + months;
    let year = total.div_euclid(12);
    let month = u32::try_from(total.rem_euclid(12) + 1).unwrap_or(1);
    let day = d.min(days_in_month(year, month));
    days_from_civil(year, month, day) * 86_400 + rem
}

/// An ISO 8601 duration as calendar months plus exact seconds (`P1Y2M10DT2H30M`, `P1W`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    months: i64,
    seconds: i64,
}

impl Duration {
    /// Parses `P…` (years, months, weeks, days; `T` hours, minutes, seconds; whole numbers);
    /// `None` for anything else or a zero duration.
    pub fn parse(text: &str) -> Option<Self> {
        let body = text.strip_prefix('P')?;
        let (date, time) = match body.split_once('T') {
            Some((d, t)) if !t.is_empty() => (d, Some(t)),
            Some(_) => return None,
            None => (body, None),
        };
        let mut out = Self {
            months: 0,
            seconds: 0,
        };
        let mut any = false;
        for (part, is_time) in [(date, false), (time.unwrap_or(""), true)] {
            let mut n = String::new();
            for c in part.chars() {
                if c.is_ascii_digit() {
                    n.push(c);
                    continue;
                }
                let v: i64 = n.parse().ok()?;
                n.clear();
                any = true;
                match (is_time, c) {
                    (false, 'Y') => out.months += v.checked_mul(12)?,
                    (false, 'M') => out.months += v,
                    (false, 'W') => out.seconds += v.checked_mul(7 * 86_400)?,
                    (false, 'D') => out.seconds += v.checked_mul(86_400)?,
                    (true, 'H') => out.seconds += v.checked_mul(3600)?,
                    (true, 'M') => out.seconds += v.checked_mul(60)?,
                    (true, 'S') => out.seconds += v,
                    _ => return None,
                }
            }
            if !n.is_empty() {
                return None;
            }
        }
        (any && (out.months > 0 || out.seconds > 0)).then_some(out)
    }

    fn add_to(self, secs: i64) -> i64 {
        add_months(secs, self.months) + self.seconds
    }

    /// The inverse step of [`Duration::add_to`]: seconds first, then calendar months.
    fn sub_from(self, secs: i64) -> i64 {
        add_months(secs - self.seconds, -self.months)
    }
}

/// A repeating interval as grant limits use it: `R[n]/start/duration` or `R[n]/start/end`
/// (windows go forward from `start`), or `R[n]/duration/end` (windows end at `end` and go
/// backwards by `duration`, the last one ending exactly at `end`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RepeatingInterval {
    /// `start` of the forward forms, `end` of the backward form.
    anchor: i64,
    step: Duration,
    /// `None` = unbounded (`R` or `R-1`).
    repetitions: Option<u64>,
    /// `R[n]/duration/end`.
    backward: bool,
}

/// Most windows walked when a calendar step (months) forbids dividing.
const MAX_CALENDAR_STEPS: u32 = 200_000;

impl RepeatingInterval {
    /// Parses the three forms; `None` for anything else (two durations, an end before the
    /// start, a bad count or date).
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split('/');
        let count = parts.next()?.strip_prefix('R')?;
        let repetitions = match count {
            "" | "-1" => None,
            n => Some(n.parse::<u64>().ok()?),
        };
        let first = parts.next()?;
        let second = parts.next()?;
        if parts.next().is_some() {
            return None;
        }
        if let Some(step) = Duration::parse(first) {
            return Some(Self {
                anchor: parse_rfc3339(second)?,
                step,
                repetitions,
                backward: true,
            });
        }
        let start = parse_rfc3339(first)?;
        let step = match Duration::parse(second) {
            Some(step) => step,
            None => {
                let end = parse_rfc3339(second)?;
                (end > start).then_some(Duration {
                    months: 0,
                    seconds: end - start,
                })?
            }
        };
        Some(Self {
            anchor: start,
            step,
            repetitions,
            backward: false,
        })
    }

    /// The start of the window containing `now` (windows are half-open `[start, end)`), or
    /// `None` outside every window.
    pub fn window_at(&self, now: i64) -> Option<i64> {
        if self.backward {
            self.window_backward(now)
        } else {
            self.window_forward(now)
        }
    }

    fn within(&self, index: u64) -> bool {
        self.repetitions.is_none_or(|n| index < n)
    }

    fn window_forward(&self, now: i64) -> Option<i64> {
        if now < self.anchor {
            return None;
        }
        let (index, window) = if self.step.months == 0 {
            let k = (now - self.anchor) / self.step.seconds;
            (u64::try_from(k).ok()?, self.anchor + k * self.step.seconds)
        } else {
            let mut current = self.anchor;
            let mut k = 0u64;
            let mut steps = 0u32;
            loop {
                let next = self.step.add_to(current);
                if next > now {
                    break;
                }
                current = next;
                k += 1;
                steps += 1;
                if steps > MAX_CALENDAR_STEPS {
                    return None;
                }
            }
            (k, current)
        };
        self.within(index).then_some(window)
    }

    /// Window `k` (0 = the last) is `[end - (k+1)·step, end - k·step)`.
    fn window_backward(&self, now: i64) -> Option<i64> {
        if now >= self.anchor {
            return None;
        }
        if self.step.months == 0 {
            let k = (self.anchor - 1 - now) / self.step.seconds;
            let start = self.anchor - (k + 1) * self.step.seconds;
            return self.within(u64::try_from(k).ok()?).then_some(start);
        }
        let mut end = self.anchor;
        let mut k = 0u64;
        loop {
            if !self.within(k) || k > u64::from(MAX_CALENDAR_STEPS) {
                return None;
            }
            let start = self.step.sub_from(end);
            if start <= now {
                return Some(start);
            }
            end = start;
            k += 1;
        }
    }
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date for a person, in English: `1 December 2026`, with ` at 14:30 UTC` when the time is
/// not midnight (` at 14:30:15 UTC` with seconds).
pub fn describe_date(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    let month = usize::try_from(m - 1)
        .ok()
        .and_then(|i| MONTH_NAMES.get(i))
        .unwrap_or(&"?");
    let date = format!("{d} {month} {y}");
    match rem {
        0 => date,
        r if r % 60 == 0 => format!("{date} at {:02}:{:02} UTC", r / 3600, (r % 3600) / 60),
        r => format!(
            "{date} at {:02}:{:02}:{:02} UTC",
            r / 3600,
            (r % 3600) / 60,
            r % 60
        ),
    }
}

impl Duration {
    /// `month`, `3 months`, `1 year, 2 months, 10 days, 2 hours and 30 minutes`: the words after
    /// "every".
    pub fn describe(self) -> String {
        let days = self.seconds / 86_400;
        let rest = self.seconds % 86_400;
        let (weeks, days) = if days > 0 && days % 7 == 0 && rest == 0 {
            (days / 7, 0)
        } else {
            (0, days)
        };
        let parts: Vec<(i64, &str)> = [
            (self.months / 12, "year"),
            (self.months % 12, "month"),
            (weeks, "week"),
            (days, "day"),
            (rest / 3600, "hour"),
            ((rest % 3600) / 60, "minute"),
            (rest % 60, "second"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .collect();
        if let [(1, unit)] = parts.as_slice() {
            return (*unit).to_owned();
        }
        let words: Vec<String> = parts
            .iter()
            .map(|(n, unit)| format!("{n} {unit}{}", if *n == 1 { "" } else { "s" }))
            .collect();
        match words.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => words.concat(),
        }
    }
}

impl RepeatingInterval {
    /// The interval in words, for the consent page: `every month, from 1 December 2026`,
    /// `every day, 5 times, from 24 August 2016 at 08:00 UTC`, `every day until 1 January 2030`.
    pub fn describe(&self) -> String {
        let every = format!("every {}", self.step.describe());
        let times = match self.repetitions {
            None => String::new(),
            Some(1) => ", once".to_owned(),
            Some(n) => format!(", {n} times"),
        };
        let date = describe_date(self.anchor);
        if self.backward {
            format!("{every}{times}, until {date}")
        } else {
            format!("{every}{times}, from {date}")
        }
    }
}

impl Timestamp {
    /// The timestamp of unix seconds, `YYYY-MM-DDTHH:MM:SSZ`.
    pub fn from_unix_seconds(secs: i64) -> Self {
        Self::from_checked(format_rfc3339(secs))
    }

    /// Unix seconds of this timestamp (fractions dropped, offsets applied); `None` only for
    /// dates the checked shape admits but the calendar does not (`2026-02-30`).
    pub fn unix_seconds(&self) -> Option<i64> {
        parse_rfc3339(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip() {
        for secs in [0i64, 951_782_400, 1_700_000_000, 4_102_444_800] {
            assert_eq!(parse_rfc3339(&format_rfc3339(secs)), Some(secs));
        }
        assert_eq!(format_rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(
            parse_rfc3339("2022-03-12T23:20:50.52+01:00"),
            parse_rfc3339("2022-03-12T22:20:50Z")
        );
        assert_eq!(parse_rfc3339("2022-02-30T00:00:00Z"), None);
    }

    #[test]
    fn interval_windows() {
        let day = RepeatingInterval::parse("R/2016-08-24T08:00:00Z/P1D").unwrap();
        let start = parse_rfc3339("2016-08-24T08:00:00Z").unwrap();
        assert_eq!(day.window_at(start - 1), None);
        assert_eq!(
            day.window_at(start + 86_400 * 3 + 5),
            Some(start + 86_400 * 3)
        );
        let month = RepeatingInterval::parse("R2/2020-01-31T00:00:00Z/P1M").unwrap();
        let feb = parse_rfc3339("2020-02-29T00:00:00Z").unwrap();
        assert_eq!(month.window_at(feb + 10), Some(feb));
        assert_eq!(
            month.window_at(parse_rfc3339("2020-04-01T00:00:00Z").unwrap()),
            None
        );
        let span = RepeatingInterval::parse("R/2017-03-01T13:00:00Z/2017-03-01T14:00:00Z").unwrap();
        assert!(span
            .window_at(parse_rfc3339("2017-03-02T00:30:00Z").unwrap())
            .is_some());
        assert!(RepeatingInterval::parse("R/P1D/P1D").is_none());
        assert!(RepeatingInterval::parse("R/2017-03-01T14:00:00Z/2017-03-01T13:00:00Z").is_none());
    }

    #[test]
    fn backward_interval_windows_end_at_end() {
        let day = RepeatingInterval::parse("R/P1D/2030-01-01T00:00:00Z").unwrap();
        let end = parse_rfc3339("2030-01-01T00:00:00Z").unwrap();
        assert_eq!(day.window_at(end), None);
        assert_eq!(day.window_at(end - 1), Some(end - 86_400));
        assert_eq!(day.window_at(end - 86_400), Some(end - 86_400));
        assert_eq!(day.window_at(end - 86_401), Some(end - 2 * 86_400));
        let two = RepeatingInterval::parse("R2/P1D/2030-01-01T00:00:00Z").unwrap();
        assert_eq!(two.window_at(end - 86_401), Some(end - 2 * 86_400));
        assert_eq!(two.window_at(end - 2 * 86_400 - 1), None);
        // The AS spec example: one window 1 year 2 months 10 days 2 h 30 min long, back from
        // 2022-05-11T15:30:00Z (calendar part after the exact part).
        let spec = RepeatingInterval::parse("R-1/P1Y2M10DT2H30M/2022-05-11T15:30:00Z").unwrap();
        let spec_end = parse_rfc3339("2022-05-11T15:30:00Z").unwrap();
        let spec_start = parse_rfc3339("2021-03-01T13:00:00Z").unwrap();
        assert_eq!(spec.window_at(spec_end - 1), Some(spec_start));
        assert_eq!(spec.window_at(spec_start), Some(spec_start));
        assert!(spec.window_at(spec_start - 1).is_some());
        assert_eq!(spec.window_at(spec_end), None);
    }

    #[test]
    fn intervals_in_words() {
        let words = |t: &str| RepeatingInterval::parse(t).unwrap().describe();
        assert_eq!(
            words("R/2026-12-01T00:00:00Z/P1M"),
            "every month, from 1 December 2026"
        );
        assert_eq!(
            words("R12/2026-12-01T00:00:00Z/P3M"),
            "every 3 months, 12 times, from 1 December 2026"
        );
        assert_eq!(
            words("R/2016-08-24T08:00:00Z/P1D"),
            "every day, from 24 August 2016 at 08:00 UTC"
        );
        assert_eq!(
            words("R1/2016-08-24T08:00:05Z/P1W"),
            "every week, once, from 24 August 2016 at 08:00:05 UTC"
        );
        assert_eq!(
            words("R/2017-03-01T13:00:00Z/2017-03-01T14:00:00Z"),
            "every hour, from 1 March 2017 at 13:00 UTC"
        );
        assert_eq!(
            words("R/P14D/2030-01-01T00:00:00Z"),
            "every 2 weeks, until 1 January 2030"
        );
        assert_eq!(
            words("R-1/P1Y2M10DT2H30M/2022-05-11T15:30:00Z"),
            "every 1 year, 2 months, 10 days, 2 hours and 30 minutes, until 11 May 2022 at 15:30 UTC"
        );
        assert_eq!(
            words("R/2024-02-29T00:00:00Z/P1Y"),
            "every year, from 29 February 2024"
        );
    }
    #[test]
    fn round_trips_and_offsets() {
        for secs in [0, 951_782_400, 1_764_633_600, 4_102_444_799, -86_400] {
            assert_eq!(parse_rfc3339(&format_rfc3339(secs)), Some(secs));
        }
        assert_eq!(format_rfc3339(1_764_633_600), "2025-12-02T00:00:00Z");
        assert_eq!(
            parse_rfc3339("2025-12-02T01:00:00.123+01:00"),
            Some(1_764_633_600)
        );
        assert_eq!(parse_rfc3339("2026-02-29T00:00:00Z"), None);
        assert_eq!(parse_rfc3339("2026-13-01T00:00:00Z"), None);
        let t = Timestamp::from_unix_seconds(1_764_633_600);
        assert_eq!(t.as_str(), "2025-12-02T00:00:00Z");
        assert_eq!(t.unix_seconds(), Some(1_764_633_600));
    }
}
