//! Where an exchange stands on a date: each deadline with the days left, what is overdue and
//! what comes next. The same milestones feed the calendar (ICS) export.

use crate::timing::calendar::days_between;
use jiff::civil::Date;
use serde::Serialize;
use std::borrow::Cow;

/// A dated event of the exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Milestone {
    /// Stable key, e.g. `identification_end` (used in calendar UIDs).
    pub key: Cow<'static, str>,
    pub title: Cow<'static, str>,
    pub date: Date,
    /// What has to happen by then, in words (empty in [`crate::analyze::figures`], which
    /// builds no words nobody reads).
    pub description: String,
    pub authority: Cow<'static, str>,
    /// Whether the action was done in time (`None`: unknown, or not an action).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done: Option<bool>,
    /// A deadline (missing it costs the deferral) or an informative date.
    pub deadline: bool,
}

/// How a milestone stands on the status date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Done,
    Upcoming,
    DueToday,
    /// The date passed and the action was not done.
    Overdue,
    /// The date passed (nothing to do, or completion unknown).
    Passed,
    /// A deadline still ahead of an exchange that has already failed (a taxable sale the
    /// verdict settles): meeting it would change nothing, so it is not counted down to.
    NoLongerApplies,
    /// A deadline still ahead of an exchange whose outcome can no longer change (all the
    /// property received): nothing is left to do by it (e.g. the extension that would keep day
    /// 180), so it is not counted down to.
    NotNeeded,
}

/// Whether the verdict settles the exchange, and how (the report's `qualification.settled`
/// and `outcome`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// Receiving identified property in time could still change the outcome.
    Open,
    /// Settled as a taxable sale: the deferral needs both periods met, and one was missed or
    /// the exchange failed otherwise.
    Failed,
    /// Settled as a (partial) exchange: nothing left to receive changes it.
    Exchanged,
}

/// One milestone on the status date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusItem {
    #[serde(flatten)]
    pub milestone: Milestone,
    /// Days from the status date to the milestone (negative when past).
    pub days_left: i32,
    pub state: State,
}

/// The status of the exchange on `as_of`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    pub as_of: Date,
    pub items: Vec<StatusItem>,
    /// Key of the next open deadline, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<Cow<'static, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_date: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_days_left: Option<i32>,
    /// Keys of the deadlines passed without the action done.
    pub overdue: Vec<Cow<'static, str>>,
}

/// Judges every milestone on `as_of`, in date order. When the verdict already settles the
/// exchange as a taxable sale (nothing identified by day 45, the sale's money taken, ...),
/// the deadlines still ahead no longer apply: none is the next one, and none is counted
/// down to (Treas. Reg. §1.1031(k)-1(b)(2): the deferral needs both periods met; once one is
/// missed, meeting the other changes nothing). When it settles it as an exchange (all the
/// property received), the deadlines still ahead are not needed: the extension that would
/// keep day 180 is not needed once nothing is left to receive (IRC §1031(a)(3)).
pub fn status(mut milestones: Vec<Milestone>, as_of: Date, settled: Settled) -> Status {
    milestones.sort_by_key(|m| m.date);
    let items: Vec<StatusItem> = milestones
        .into_iter()
        .map(|m| {
            let days_left = days_between(as_of, m.date);
            let state = match (m.done, days_left) {
                (Some(true), _) => State::Done,
                (_, 0..) if settled == Settled::Exchanged && m.deadline => State::NotNeeded,
                (_, 0..) if settled == Settled::Failed && m.deadline => State::NoLongerApplies,
                (_, 1..) => State::Upcoming,
                (_, 0) => State::DueToday,
                (Some(false), _) if m.deadline => State::Overdue,
                _ => State::Passed,
            };
            StatusItem {
                milestone: m,
                days_left,
                state,
            }
        })
        .collect();
    let next = items
        .iter()
        .find(|i| i.milestone.deadline && matches!(i.state, State::Upcoming | State::DueToday));
    Status {
        as_of,
        next: next.map(|i| i.milestone.key.clone()),
        next_date: next.map(|i| i.milestone.date),
        next_days_left: next.map(|i| i.days_left),
        overdue: items
            .iter()
            .filter(|i| i.state == State::Overdue)
            .map(|i| i.milestone.key.clone())
            .collect(),
        items,
    }
}

impl Status {
    /// The milestones for a calendar: a deadline that no longer applies (see
    /// [`State::NoLongerApplies`]) stays on the calendar as a date, without reminders.
    pub fn calendar_milestones(&self) -> Vec<Milestone> {
        self.items
            .iter()
            .map(|i| {
                let mut m = i.milestone.clone();
                m.deadline &= !matches!(i.state, State::NoLongerApplies | State::NotNeeded);
                m
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn ms(key: &'static str, d: Date, done: Option<bool>) -> Milestone {
        Milestone {
            key: key.into(),
            title: key.into(),
            date: d,
            description: String::new(),
            authority: "".into(),
            done,
            deadline: true,
        }
    }

    #[test]
    fn days_left_next_and_overdue() {
        let s = status(
            vec![
                ms("exchange_end", date(2026, 8, 28), None),
                ms("identification_end", date(2026, 4, 15), Some(false)),
            ],
            date(2026, 5, 1),
            Settled::Open,
        );
        assert_eq!(s.items[0].milestone.key, "identification_end");
        assert_eq!(s.items[0].state, State::Overdue);
        assert_eq!(s.overdue, vec!["identification_end"]);
        assert_eq!(s.next.as_deref(), Some("exchange_end"));
        assert_eq!(s.next_days_left, Some(119));
        let s = status(
            vec![ms("x", date(2026, 5, 1), None)],
            date(2026, 5, 1),
            Settled::Open,
        );
        assert_eq!(s.items[0].state, State::DueToday);
    }

    /// A failed exchange (the verdict settled on day 46): day 180 is neither next nor
    /// counted down to, and its calendar date carries no reminders; day 45 stays missed.
    #[test]
    fn a_failed_exchange_counts_down_to_nothing() {
        let s = status(
            vec![
                ms("exchange_end", date(2026, 8, 28), Some(false)),
                ms("identification_end", date(2026, 4, 15), Some(false)),
            ],
            date(2026, 5, 1),
            Settled::Failed,
        );
        assert_eq!(s.items[0].state, State::Overdue);
        assert_eq!(s.items[1].state, State::NoLongerApplies);
        assert_eq!(s.next, None);
        assert_eq!(s.next_days_left, None);
        let cal = s.calendar_milestones();
        assert!(cal[0].deadline);
        assert!(!cal[1].deadline);
        // Done stays done, even when the exchange failed for another reason.
        let s = status(
            vec![ms("identification_end", date(2026, 5, 10), Some(true))],
            date(2026, 5, 1),
            Settled::Failed,
        );
        assert_eq!(s.items[0].state, State::Done);
    }

    /// QA8 6: an exchange settled as an exchange (all the property received): the extension
    /// that would keep day 180 is not the next deadline, and carries no reminders.
    #[test]
    fn a_completed_exchange_needs_no_extension() {
        let milestones = || {
            vec![
                ms("identification_end", date(2026, 12, 20), Some(true)),
                ms("file_extension", date(2027, 4, 15), Some(false)),
                ms("exchange_end", date(2027, 4, 15), Some(true)),
            ]
        };
        let s = status(milestones(), date(2026, 12, 6), Settled::Exchanged);
        assert_eq!(s.next, None);
        let ext = s.items.iter().find(|i| i.milestone.key == "file_extension");
        assert_eq!(ext.map(|i| i.state), Some(State::NotNeeded));
        assert!(
            !s.calendar_milestones()
                .iter()
                .any(|m| m.key == "file_extension" && m.deadline)
        );
        let open = status(milestones(), date(2026, 12, 6), Settled::Open);
        assert_eq!(open.next.as_deref(), Some("file_extension"));
    }
}
