//! CSV and JSON exports of contributions and goal progress.

use serde::Serialize;

use crate::domain::impact::{ContributionEntry, Goal};
use crate::error::AppError;

/// One contribution as an export row.
#[derive(Debug, Serialize)]
struct ContributionRow<'a> {
    id: i64,
    community: &'a str,
    author: &'a str,
    done_on: String,
    description: &'a str,
    quantity: Option<f64>,
    unit: Option<&'a str>,
    hours: Option<f64>,
    goal: Option<&'a str>,
    initiative: Option<&'a str>,
    status: &'static str,
    evidence_url: &'a str,
}

/// One goal as an export row.
#[derive(Debug, Serialize)]
struct GoalRow<'a> {
    id: i64,
    title: &'a str,
    metric: &'a str,
    unit: &'a str,
    target: f64,
    current: f64,
    progress_percent: f64,
    parent_id: Option<i64>,
    weight: f64,
    deadline: Option<String>,
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
        community: &c.community_slug,
        author: &c.author,
        done_on: c.done_on.to_string(),
        description: &c.description,
        quantity: c.quantity,
        unit: c.unit.as_deref(),
        hours: c.hours,
        goal: c.goal.as_deref(),
        initiative: c.initiative.as_deref(),
        status: c.status.as_str(),
        evidence_url: &c.evidence_url,
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
        title: &g.facts.title,
        metric: &g.facts.metric,
        unit: &g.facts.unit,
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
}
