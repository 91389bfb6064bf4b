//! Mounts the Benefits workspace on the page body.

fn main() {
    console_error_panic_hook::set_once();
    // The Polish texts first when the app starts in Polish (boot.js has
    // started their download beside the wasm's), so it never shows English first.
    wasm_bindgen_futures::spawn_local(async {
        benefits_app::locale::prepare().await;
        benefits_app::remove_boot_status();
        leptos::mount::mount_to_body(benefits_app::App);
    });
}
