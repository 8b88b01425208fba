//! Exercises the unlock cache from the command line, so that separate processes (and separate
//! shells) can be checked to see one another's entries:
//!
//! ```sh
//! cargo run -p thaw-vault --example unlock_cache -- store my-vault 60   # prints the key_id
//! bash -lc 'target/debug/examples/unlock_cache fetch my-vault'          # same key_id
//! cargo run -p thaw-vault --example unlock_cache -- forget my-vault
//! ```
//!
//! It prints only the public `key_id`, never the key.

use std::process::ExitCode;
use std::time::Duration;

use thaw_vault::DataKey;
use thaw_vault::cache::UnlockCache;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["available"] => {
            println!("available={}", UnlockCache::is_available());
            Ok(())
        }
        ["store", identity, seconds] => match seconds.parse::<u64>() {
            Ok(s) => DataKey::generate().and_then(|key| {
                UnlockCache::new(identity).store(&key, Duration::from_secs(s))?;
                println!("stored key_id={}", key.key_id());
                Ok(())
            }),
            Err(_) => {
                eprintln!("seconds must be a whole number");
                return ExitCode::from(2);
            }
        },
        ["fetch", identity] => UnlockCache::new(identity).fetch().map(|found| match found {
            Some(key) => println!("found key_id={}", key.key_id()),
            None => println!("not cached"),
        }),
        ["forget", identity] => UnlockCache::new(identity).forget().map(|()| println!("forgotten")),
        _ => {
            eprintln!("usage: unlock_cache available | store ID SECONDS | fetch ID | forget ID");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
