//! The CPU time a reading may spend. A PDF is read on one thread, so the thread's own CPU clock
//! counts what reading it costs, whatever else the machine is doing; a busy machine makes a
//! reading slower, never more expensive.

use std::time::Duration;

use super::limit::LimitHit;

/// The CPU time this thread has spent so far.
#[cfg(unix)]
pub fn cpu_time() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(
        u64::try_from(t.tv_sec).unwrap_or(0),
        u32::try_from(t.tv_nsec).unwrap_or(0),
    )
}

/// Elsewhere, the time since this thread first asked: at least the CPU time it spent.
#[cfg(not(unix))]
pub fn cpu_time() -> Duration {
    thread_local! {
        static START: std::time::Instant = std::time::Instant::now();
    }
    START.with(std::time::Instant::elapsed)
}

/// A reading's allowance of CPU time, started on the thread that reads.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    started: Duration,
    limit: Duration,
}

impl Budget {
    /// `limit` of CPU time from now, on this thread.
    pub fn start(limit: Duration) -> Budget {
        Budget {
            started: cpu_time(),
            limit,
        }
    }

    /// The CPU time spent since the start.
    pub fn spent(&self) -> Duration {
        cpu_time().saturating_sub(self.started)
    }

    /// Refuses once the allowance is spent.
    pub fn check(&self) -> Result<(), LimitHit> {
        if self.spent() > self.limit {
            Err(LimitHit::Time { limit: self.limit })
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_spends_the_budget_and_waiting_does_not() {
        let budget = Budget::start(Duration::from_millis(30));
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(budget.check(), Ok(()), "sleeping costs no CPU");
        let mut x = 0u64;
        while budget.check().is_ok() {
            for i in 0..10_000u64 {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
            }
        }
        assert!(budget.spent() >= Duration::from_millis(30), "{x}");
        assert_eq!(
            budget.check(),
            Err(LimitHit::Time {
                limit: Duration::from_millis(30)
            })
        );
    }
}
