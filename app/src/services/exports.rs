//! CSV and JSON exports of contributions and goal progress.

use std::borrow::Cow;

use serde::Serialize;

use crate::domain::impact::{ContributionEntry, Goal};
use crate::error::AppError;

/// One contribution as an export row.
#[derive(Debug, Serialize)]
struct ContributionRow<'a> {
    id: i64,
    community: Cow<'a, str>,
    author: Cow<'a, str>,
    done_on: String,
    description: Cow<'a, str>,
    quantity: Option<f64>,
    unit: Option<Cow<'a, str>>,
    hours: Option<f64>,
    goal: Option<Cow<'a, str>>,
    initiative: Option<Cow<'a, str>>,
    status: &'static str,
    evidence_url: Cow<'a, str>,
}

/// One goal as an export row.
#[derive(Debug, Serialize)]
struct GoalRow<'a> {
    id: i64,
    title: Cow<'a, str>,
    metric: Cow<'a, str>,
    unit: Cow<'a, str>,
    target: f64,
    current: f64,
    progress_percent: f64,
    parent_id: Option<i64>,
    weight: f64,
    deadline: Option<String>,
}

/// A member's text as a spreadsheet cell that stays text: one that starts like a formula
/// (`=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, so a steward who opens
/// an export in a spreadsheet never runs what a member wrote (OWASP's CSV injection advice).
fn cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

fn csv_of<T: Serialize>(rows: impl IntoIterator<Item = T>) -> Result<String, AppError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.serialize(row).map_err(AppError::internal)?;
    }
    let bytes = writer.into_inner().map_err(AppError::internal)?;
    String::from_utf8(bytes).map_err(AppError::internal)
}

fn contribution_rows(entries: &[ContributionEntry]) -> impl Iterator<Item = ContributionRow<'_>> {
    entries.iter().map(|c| ContributionRow {
        id: c.id,
        community: cell(&c.community_slug),
        author: cell(&c.author),
        done_on: c.done_on.to_string(),
        description: cell(&c.description),
        quantity: c.quantity,
        unit: c.unit.as_deref().map(cell),
        hours: c.hours,
        goal: c.goal.as_deref().map(cell),
        initiative: c.initiative.as_deref().map(cell),
        status: c.status.as_str(),
        evidence_url: cell(&c.evidence_url),
    })
}

/// Contributions as CSV (a header row, then one row each).
pub fn contributions_csv(entries: &[ContributionEntry]) -> Result<String, AppError> {
    csv_of(contribution_rows(entries))
}

/// Goals and their progress as CSV.
pub fn goals_csv(goals: &[Goal]) -> Result<String, AppError> {
    csv_of(goals.iter().map(|g| GoalRow {
        id: g.id,
        title: cell(&g.facts.title),
        metric: cell(&g.facts.metric),
        unit: cell(&g.facts.unit),
        target: g.facts.target,
        current: g.current,
        progress_percent: (g.progress * 10_000.0).round() / 100.0,
        parent_id: g.facts.parent_id,
        weight: g.facts.weight,
        deadline: g.facts.deadline.map(|d| d.to_string()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::impact::ContributionStatus;

    #[test]
    fn csv_quotes_hostile_text_and_parses_back() {
        let entry = ContributionEntry {
            id: 7,
            community_slug: "river".into(),
            community_name: "River".into(),
            author: "ada".into(),
            description: "Planted, \"watered\"\nand mulched".into(),
            done_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            quantity: Some(40.5),
            unit: Some("trees".into()),
            hours: None,
            goal: Some("Trees".into()),
            initiative: None,
            evidence_url: String::new(),
            note: String::new(),
            status: ContributionStatus::Verified,
            thanked_by: 0,
        };
        let text = contributions_csv(&[entry]).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(&rows[0][4], "Planted, \"watered\"\nand mulched");
        assert_eq!(rows[0][5].parse::<f64>().unwrap(), 40.5);
        assert_eq!(&rows[0][10], "verified");
    }

    #[test]
    fn text_that_starts_like_a_formula_stays_text_in_a_spreadsheet() {
        for hostile in ["=HYPERLINK(\"https://evil.example\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1"]
        {
            assert_eq!(cell(hostile), format!("'{hostile}"), "{hostile:?}");
        }
        for plain in ["Planted 40 trees", "", "3 bags", "ada"] {
            assert_eq!(cell(plain), plain);
        }
        let goal = Goal {
            id: 1,
            facts: crate::domain::impact_form::GoalFacts {
                title: "=cmd|' /C calc'!A0".into(),
                metric: "trees planted".into(),
                unit: "trees".into(),
                target: 10.0,
                deadline: None,
                parent_id: None,
                weight: 1.0,
            },
            current: 0.0,
            progress: 0.0,
            has_children: false,
        };
        let text = goals_csv(&[goal]).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(&row[1], "'=cmd|' /C calc'!A0");
    }
}
