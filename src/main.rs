//! The `copydesk` binary: parses the command line and hands over to [`cli`].

mod cli;

#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options. Two arenas rather than its default of four per core: a language server
/// runs a check on a few threads at a time, and pages freed in one thread's arena were kept
/// dirty there while another arena grew (measured with the 2,000-word draft over the shared
/// store, 100 edits: peak 44-48 MB with the default, 38-39 MB with two arenas; lint times
/// unchanged).
#[export_name = "_rjem_malloc_conf"]
pub static MALLOC_CONF: &[u8] = b"narenas:2\0";

fn main() {
    std::process::exit(cli::main());
}
