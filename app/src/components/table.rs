//! Tables of records: a header row of column names over the rows a page draws.

use leptos::prelude::*;

/// A table with a caption (when given), a header row naming `columns`, and the rows
/// drawn by the children (`<tr>` elements) as its body.
#[component]
pub fn DataTable(
    /// The column names, left to right.
    columns: Vec<&'static str>,
    /// What the table lists, for screen readers and sighted people alike.
    #[prop(optional)]
    caption: Option<&'static str>,
    /// The table's class.
    #[prop(default = "table")]
    class: &'static str,
    /// The rows.
    children: Children,
) -> impl IntoView {
    view! {
        <table class=class>
            {caption.map(|caption| view! { <caption>{caption}</caption> })} <thead>
                <tr>
                    {columns
                        .into_iter()
                        .map(|column| view! { <th scope="col">{column}</th> })
                        .collect_view()}
                </tr>
            </thead> <tbody>{children()}</tbody>
        </table>
    }
}
