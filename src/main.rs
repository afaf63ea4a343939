//! The `copydesk` binary: parses the command line and hands over to [`cli`].

mod cli;

#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    std::process::exit(cli::main());
}
