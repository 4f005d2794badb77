//! Goals, initiatives, opportunities, contributions' current state, and impact figures,
//! a file per aggregate; everything is re-exported here as `db::impact::*`.

mod contributions;
mod goals;
mod initiatives;
mod reports;

pub use contributions::*;
pub use goals::*;
pub use initiatives::*;
pub use reports::*;
