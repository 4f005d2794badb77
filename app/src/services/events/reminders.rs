//! Reminders a day and an hour before an occurrence, each sent exactly once.

use super::*;

/// Sends the reminders due now (24 hours and 1 hour before), each exactly once: the
/// marker and the notice are written in one transaction, and a sent marker is never sent
/// again. Returns how many went out.
pub async fn send_due_reminders(writes: &WriteQueue) -> Result<usize, AppError> {
    write_tx!(writes, |tx| {
        let now = Utc::now();
        let mut sent = 0;
        for due in store::due_reminders(&mut *tx, now).await? {
            if !store::mark_reminded(&mut *tx, due.occurrence_id, due.user_id, &due.kind).await? {
                continue;
            }
            let when = local_label(due.starts_at, &due.time_zone);
            let body = match due.kind.as_str() {
                "1h" => format!("Starting within the hour: {} at {when}.", due.title),
                _ => format!("Tomorrow: {} at {when}.", due.title),
            };
            let link = format!("/c/{}/e/{}", due.community_slug, due.occurrence_id);
            let notice =
                Notice::new(due.user_id, NoticeKind::Event, due.community_id, &body, &link);
            notices::notify(&mut *tx, notice).await?;
            sent += 1;
        }
        Ok(sent)
    })
}
