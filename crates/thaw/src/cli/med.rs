//! `thaw med`: the medicine timeline.

use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum MedCmd {
    /// Add a medicine you've started (or started again), with its dose.
    Add(MedAddArgs),
    /// Record a new dose of a medicine on your list.
    Dose(MedDoseArgs),
    /// Record that you've paused a medicine.
    Pause(MedEventArgs),
    /// Record that you've stopped a medicine.
    Stop(MedEventArgs),
    /// Note that you took a medicine today (optional).
    Taken(MedEventArgs),
    /// Your medicines, where each stands now, and their timelines.
    List,
    /// What Thaw knows about a medicine: other names, its group, and a question for your prescriber.
    Info {
        /// A generic or brand name, like sertraline or Zoloft.
        #[arg(required = true, num_args = 1.., value_name = "NAME")]
        name: Vec<String>,
    },
}

#[derive(Debug, Args)]
pub struct MedAddArgs {
    /// A generic or brand name, like sertraline or Zoloft. Names Thaw doesn't know are fine.
    #[arg(required = true, num_args = 1.., value_name = "NAME")]
    pub name: Vec<String>,
    /// How much, like 50 or 12.5.
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub dose: Option<String>,
    /// mg, mcg, g, ml, drops, tablets, capsules, patches or sprays.
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// When you started (2025-03-05, or a date and time).
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Keep the name exactly as typed, even though it looks like one Thaw knows.
    #[arg(long)]
    pub as_typed: bool,
}

#[derive(Debug, Args)]
pub struct MedDoseArgs {
    #[arg(required = true, num_args = 1.., value_name = "NAME")]
    pub name: Vec<String>,
    /// The new dose, like 75.
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub dose: Option<String>,
    /// mg, mcg, g, ml, drops, tablets, capsules, patches or sprays.
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// When it changed (2025-03-05, or a date and time).
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct MedEventArgs {
    #[arg(required = true, num_args = 1.., value_name = "NAME")]
    pub name: Vec<String>,
    /// When (2025-03-05, or a date and time).
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}
