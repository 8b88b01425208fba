//! The gentle daily reminder: a time of day and the days of the week, and what it becomes on the
//! person's devices: a calendar file (iCalendar, RFC 5545) any phone or calendar can import, and a
//! systemd user timer with its service for a desktop notification on Linux.
//!
//! Nothing here holds private content: the reminder's words are the same for everyone, and missing
//! a day is never mentioned anywhere.

use serde::{Deserialize, Serialize};

use crate::CoreError;

/// The days of the week, in the order people write them.
pub const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// What the reminder says, on every device.
pub const TITLE: &str = "A moment for yourself";
pub const LINE: &str =
    "If you'd like, a minute with Thaw: how are you, right now? Whatever you find is fine.";

/// A reminder at `time` (24-hour `HH:MM`, local) on `days` (a subset of [`DAYS`], in that order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    pub time: String,
    pub days: Vec<String>,
}

impl Reminder {
    /// Reads `time` (`20:00`, `8:30`, `0730`) and `days` (`mon,tue`, `weekdays`, `weekends`,
    /// `every day`; `None` is every day).
    pub fn parse(time: &str, days: Option<&str>) -> Result<Reminder, CoreError> {
        Ok(Reminder { time: parse_time(time)?, days: parse_days(days.unwrap_or("every day"))? })
    }

    /// Hours and minutes.
    fn hm(&self) -> (u32, u32) {
        let (h, m) = self.time.split_once(':').unwrap_or(("20", "00"));
        (h.parse().unwrap_or(20), m.parse().unwrap_or(0))
    }

    pub fn every_day(&self) -> bool {
        self.days.len() == DAYS.len()
    }

    /// `every day at 20:00` / `on mon, wed and fri at 08:30`.
    pub fn describe(&self) -> String {
        if self.every_day() {
            return format!("every day at {}", self.time);
        }
        let days = match self.days.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => self.days.join(""),
        };
        format!("on {days} at {}", self.time)
    }

    /// The calendar file: one repeating event at the local time ("floating", so it follows the
    /// device's time zone), with an alert when it starts. `today` is its first day (`YYYYMMDD`),
    /// `stamp` when the file was made (`YYYYMMDDTHHMMSSZ`).
    pub fn ics(&self, today: &str, stamp: &str) -> String {
        let (h, m) = self.hm();
        let rule = if self.every_day() {
            "FREQ=DAILY".to_owned()
        } else {
            let by: Vec<String> = self.days.iter().map(|d| d[..2].to_uppercase()).collect();
            format!("FREQ=WEEKLY;BYDAY={}", by.join(","))
        };
        let lines = [
            "BEGIN:VCALENDAR".to_owned(),
            "VERSION:2.0".to_owned(),
            "PRODID:-//Thaw//Gentle reminder//EN".to_owned(),
            "CALSCALE:GREGORIAN".to_owned(),
            "BEGIN:VEVENT".to_owned(),
            "UID:daily-reminder@thaw.invalid".to_owned(),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART:{today}T{h:02}{m:02}00"),
            "DURATION:PT5M".to_owned(),
            format!("RRULE:{rule}"),
            format!("SUMMARY:{}", ics_text(TITLE)),
            format!("DESCRIPTION:{}", ics_text(LINE)),
            "TRANSP:TRANSPARENT".to_owned(),
            "BEGIN:VALARM".to_owned(),
            "ACTION:DISPLAY".to_owned(),
            format!("DESCRIPTION:{}", ics_text(TITLE)),
            "TRIGGER:PT0M".to_owned(),
            "END:VALARM".to_owned(),
            "END:VEVENT".to_owned(),
            "END:VCALENDAR".to_owned(),
        ];
        let mut out = String::new();
        for line in lines {
            out.push_str(&fold(&line));
            out.push_str("\r\n");
        }
        out
    }

    /// systemd's `OnCalendar=` for this reminder: `*-*-* 20:00:00` or `Mon,Wed *-*-* 20:00:00`.
    pub fn on_calendar(&self) -> String {
        let (h, m) = self.hm();
        if self.every_day() {
            format!("*-*-* {h:02}:{m:02}:00")
        } else {
            let days: Vec<String> = self
                .days
                .iter()
                .map(|d| {
                    let mut c = d.chars();
                    c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
                })
                .collect();
            format!("{} *-*-* {h:02}:{m:02}:00", days.join(","))
        }
    }

    /// The systemd user timer unit (`thaw-reminder.timer`).
    pub fn systemd_timer(&self) -> String {
        format!(
            "[Unit]\nDescription=Thaw: a gentle reminder, {}\n\n[Timer]\nOnCalendar={}\n\
             Unit=thaw-reminder.service\n\n[Install]\nWantedBy=timers.target\n",
            self.describe(),
            self.on_calendar()
        )
    }

    /// The systemd user service (`thaw-reminder.service`) the timer starts: one desktop
    /// notification through `notify_send` (the program's path).
    pub fn systemd_service(notify_send: &str) -> String {
        format!(
            "[Unit]\nDescription=Thaw: a gentle reminder\n\n[Service]\nType=oneshot\n\
             ExecStart={notify_send} --app-name=Thaw \"{}\" \"{}\"\n",
            TITLE, LINE
        )
    }
}

/// A content line folded as RFC 5545 asks: at most 75 octets, continued on lines starting with a
/// space (split between characters, never inside one).
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 74 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out
}

/// Text for an iCalendar value: backslash, comma and semicolon escaped.
fn ics_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace(',', "\\,").replace(';', "\\;")
}

fn parse_time(input: &str) -> Result<String, CoreError> {
    let t = input.trim();
    let bad = || {
        CoreError::Invalid(format!(
            "\"{t}\" isn't a time of day Thaw can read. Write it as hours and minutes, like 20:00 or 8:30."
        ))
    };
    let (h, m) = match t.split_once([':', '.', 'h']) {
        Some((h, m)) => (h, m),
        None if t.len() == 4 && t.chars().all(|c| c.is_ascii_digit()) => t.split_at(2),
        None if !t.is_empty() && t.len() <= 2 => (t, "00"),
        None => return Err(bad()),
    };
    let h: u32 = h.trim().parse().map_err(|_| bad())?;
    let m: u32 = m.trim().parse().map_err(|_| bad())?;
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok(format!("{h:02}:{m:02}"))
}

fn parse_days(input: &str) -> Result<Vec<String>, CoreError> {
    let n = crate::text::normalise(input);
    let chosen: Vec<&str> = match n.as_str() {
        "" | "every day" | "everyday" | "daily" | "all" => DAYS.to_vec(),
        "weekdays" => DAYS[..5].to_vec(),
        "weekends" | "weekend" => DAYS[5..].to_vec(),
        _ => {
            let mut chosen = Vec::new();
            for part in n.split([',', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
                let day = DAYS.iter().find(|d| part.len() >= 2 && d.starts_with(&part[..part.len().min(3)]));
                match day {
                    Some(d) if !chosen.contains(d) => chosen.push(*d),
                    Some(_) => {}
                    None => {
                        return Err(CoreError::UnknownChoice {
                            what: "day",
                            input: part.to_owned(),
                            choices: DAYS.iter().map(|d| (*d).to_owned()).collect(),
                        });
                    }
                }
            }
            chosen
        }
    };
    if chosen.is_empty() {
        return Err(CoreError::NoDays);
    }
    // In the order of the week, whatever order they were typed in.
    Ok(DAYS.iter().filter(|d| chosen.contains(d)).map(|d| (*d).to_owned()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_days_are_read_kindly() {
        let r = Reminder::parse("8:30", Some("fri, Mon,wednesday")).unwrap();
        assert_eq!(
            (r.time.as_str(), r.days.clone()),
            ("08:30", vec!["mon".into(), "wed".into(), "fri".into()])
        );
        assert_eq!(r.describe(), "on mon, wed and fri at 08:30");
        assert_eq!(r.on_calendar(), "Mon,Wed,Fri *-*-* 08:30:00");
        let every = Reminder::parse("20:00", None).unwrap();
        assert!(every.every_day());
        assert_eq!(every.describe(), "every day at 20:00");
        assert_eq!(every.on_calendar(), "*-*-* 20:00:00");
        assert_eq!(Reminder::parse("0730", Some("weekdays")).unwrap().days.len(), 5);
        for bad in ["25:00", "7:60", "soon", "", "-1:00"] {
            let e = Reminder::parse(bad, None).unwrap_err().to_string();
            assert!(e.contains("like 20:00"), "{bad}: {e}");
        }
        assert!(Reminder::parse("20:00", Some("someday")).unwrap_err().to_string().contains("mon"));
    }

    #[test]
    fn the_calendar_file_repeats_and_says_nothing_private() {
        let r = Reminder::parse("20:00", Some("mon,thu")).unwrap();
        let ics = r.ics("20261201", "20261201T150000Z");
        assert!(ics.contains("\r\nRRULE:FREQ=WEEKLY;BYDAY=MO,TH\r\n"), "{ics}");
        assert!(ics.contains("\r\nDTSTART:20261201T200000\r\n"));
        assert!(ics.contains("DESCRIPTION:If you'd like\\, a minute with Thaw"), "{ics}");
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.lines().all(|l| l.len() <= 75), "lines within the limit");
        for word in ["miss", "streak", "forgot", "again"] {
            assert!(!ics.to_lowercase().contains(word), "{word}");
        }
    }
}
