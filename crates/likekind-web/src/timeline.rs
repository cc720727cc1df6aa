//! The exchange's timeline as inline SVG (no script), with a title, a description and the
//! same facts as a table for screen readers and small screens.

use crate::fmt;
use jiff::civil::Date;
use likekind_core::deadlines::Deadlines;
use likekind_core::model::ExchangeFile;
use maud::{Markup, html};

/// One dated mark on the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub date: Date,
    pub label: String,
    /// `transfer`, `deadline`, `identification`, `closing`, `today`.
    pub kind: &'static str,
}

/// The marks of an exchange, in date order.
pub fn marks(f: &ExchangeFile, d: Option<&Deadlines>, today: Date) -> Vec<Mark> {
    let mut m = Vec::new();
    for r in &f.relinquished {
        m.push(Mark {
            date: r.transferred,
            label: format!("Sale of {}", fmt::property(&r.id, &r.description)),
            kind: "transfer",
        });
    }
    if let Some(d) = d {
        m.push(Mark {
            date: d.identification_end,
            label: "Day 45: identification ends".into(),
            kind: "deadline",
        });
        m.push(Mark {
            date: d.day_180,
            label: "Day 180".into(),
            kind: "deadline",
        });
        m.push(Mark {
            date: d.return_due_date,
            label: "Return due".into(),
            kind: "deadline",
        });
        if d.exchange_end != d.day_180 {
            m.push(Mark {
                date: d.exchange_end,
                label: "Exchange period ends".into(),
                kind: "deadline",
            });
        }
    }
    for i in &f.identified {
        m.push(Mark {
            date: i.identified_on,
            label: format!("Identified {}", fmt::property(&i.id, &i.description)),
            kind: "identification",
        });
        if let Some(r) = i.revoked_on {
            m.push(Mark {
                date: r,
                label: format!("Revoked {}", fmt::property(&i.id, &i.description)),
                kind: "identification",
            });
        }
    }
    for r in &f.replacement {
        m.push(Mark {
            date: r.received,
            label: format!("Purchase of {}", fmt::property(&r.id, &r.description)),
            kind: "closing",
        });
    }
    m.push(Mark {
        date: today,
        label: "Today".into(),
        kind: "today",
    });
    m.sort_by_key(|a| a.date);
    m
}

/// The chart and its table.
pub fn render(f: &ExchangeFile, d: Option<&Deadlines>, today: Date) -> Markup {
    let ms = marks(f, d, today);
    let (Some(first), Some(last)) = (ms.first(), ms.last()) else {
        return html! {};
    };
    let span = f64::from((last.date - first.date).get_days().max(1));
    let (w, left, right) = (900.0_f64, 30.0_f64, 870.0_f64);
    let x = |dt: Date| {
        let n = f64::from((dt - first.date).get_days());
        left + (right - left) * n / span
    };
    // Each label goes in the first row where it does not run into the one before it.
    let mut ends: Vec<f64> = Vec::new();
    let mut row_of = Vec::with_capacity(ms.len());
    for m in &ms {
        let px = x(m.date);
        let len = 7.2 * (m.label.chars().count() + 15) as f64;
        let (a, b) = if px > w * 0.6 {
            (px - len, px)
        } else {
            (px, px + len)
        };
        let r = ends.iter().position(|e| *e + 8.0 < a).unwrap_or(ends.len());
        if r == ends.len() {
            ends.push(b);
        } else {
            ends[r] = b;
        }
        row_of.push(r);
    }
    let rows = ends.len().max(1);
    let h = 60.0 + 26.0 * rows as f64;
    let axis_y = 40.0;
    let desc = ms
        .iter()
        .map(|m| format!("{}: {}", fmt::date(m.date), m.label))
        .collect::<Vec<_>>()
        .join("; ");
    html! {
        figure.timeline {
            svg viewBox={ "0 0 " (w) " " (h) } role="img" aria-labelledby="tl-title tl-desc" xmlns="http://www.w3.org/2000/svg" {
                title #tl-title { "Timeline of the exchange" }
                desc #tl-desc { (desc) }
                line x1=(left) y1=(axis_y) x2=(right) y2=(axis_y) class="axis" {}
                @if let Some(d) = d {
                    rect x=(x(d.first_transfer)) y=(axis_y - 8.0) width=((x(d.identification_end) - x(d.first_transfer)).max(1.0)) height="16" class="band-id" {}
                    rect x=(x(d.identification_end)) y=(axis_y - 8.0) width=((x(d.exchange_end) - x(d.identification_end)).max(1.0)) height="16" class="band-acq" {}
                }
                @for (k, m) in ms.iter().enumerate() {
                    @let y = axis_y + 26.0 + 26.0 * row_of[k] as f64;
                    @let px = x(m.date);
                    @let anchor = if px > w * 0.6 { "end" } else { "start" };
                    @let tx = if anchor == "end" { px - 4.0 } else { px + 4.0 };
                    g class={ "mark " (m.kind) } {
                        line x1=(px) y1=(axis_y - 12.0) x2=(px) y2=(y + 4.0) {}
                        circle cx=(px) cy=(axis_y) r="5" {}
                        text x=(tx) y=(y) text-anchor=(anchor) { (m.label) " · " (fmt::date(m.date)) }
                    }
                }
            }
            figcaption {
                "The identification period (shaded blue) and the exchange period (shaded green)."
            }
            // Narrow screens: the same marks as a vertical list (the drawing's labels would
            // shrink below reading size); wide screens hide it.
            ol.timeline-list aria-label="Timeline of the exchange" {
                @for m in &ms {
                    li class=(m.kind) { time datetime=(m.date.to_string()) { (fmt::date(m.date)) } " " span { (m.label) } }
                }
            }
            details {
                summary { "The timeline as a table" }
                table.compact {
                    thead { tr { th scope="col" { "Date" } th scope="col" { "What" } } }
                    tbody { @for m in &ms { tr { td { (fmt::date(m.date)) } td { (m.label) } } } }
                }
            }
        }
    }
}
