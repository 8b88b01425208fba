//! `thaw guide` and `thaw prompt`: reading and writing prompts.

use clap::Args;

#[derive(Debug, Args)]
pub struct GuideArgs {
    /// The page to read (its id or title). Without it, the list of pages.
    #[arg(num_args = 0.., value_name = "TOPIC")]
    pub topic: Vec<String>,
}

#[derive(Debug, Args)]
pub struct PromptArgs {
    /// Only prompts from this group: noticing, reactions, memories, grief, fears, talking, body, gentle.
    #[arg(long, value_name = "GROUP")]
    pub group: Option<String>,
    /// List every prompt (of the group) instead of picking one.
    #[arg(long)]
    pub all: bool,
}
