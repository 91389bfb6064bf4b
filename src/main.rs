//! Mounts the Benefits workspace on the page body.

fn main() {
    console_error_panic_hook::set_once();
    benefits_app::remove_boot_status();
    leptos::mount::mount_to_body(benefits_app::App);
}
