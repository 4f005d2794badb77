//! The browser entry point: hydrates the server-rendered page, loading each page's
//! split-out WASM chunk before hydrating it.

/// Called by the hydration script once the WASM bundle loads.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
