//! Impact: goals, initiatives and opportunities, contributions and their verification, the impact report.

mod contributions;
mod goals;
mod initiatives;

pub use contributions::*;
pub use goals::*;
pub use initiatives::*;
