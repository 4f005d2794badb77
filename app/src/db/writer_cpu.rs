//! Keeps the write queue on one CPU, and its two threads out of each other's way.
//!
//! Every statement a queued write runs is a round trip between two threads: the writer
//! task's own and the thread sqlx runs its SQLite connection on. When the two sit on
//! different CPUs, each hop wakes a thread on the other CPU, which costs an
//! inter-processor interrupt (on a virtual machine, an exit to the hypervisor) and often
//! a wait for that CPU. With both on one CPU a hop is a plain switch between them.
//! Measured on the 2-core bench machine (docs/PERFORMANCE.md): contribution writes at
//! 32 connections went from about 1,040 to about 1,430 a second.
//!
//! The writer thread calls [`keep_on_one_cpu`] before it opens its connection, and the
//! connection's thread inherits the choice (a new Linux thread starts with its parent
//! thread's CPU set). Request handling and the read pool keep every CPU.

/// Restricts the calling thread to the last CPU it may run on, when it may run on more
/// than one. Returns the CPU chosen, or `None` when the thread was left as it was (it
/// already runs on one CPU, or the system refused).
#[cfg(target_os = "linux")]
pub fn keep_on_one_cpu() -> Option<usize> {
    let size = std::mem::size_of::<libc::cpu_set_t>();
    // SAFETY: `cpu_set_t` is a plain bit array for which all zeroes is a valid (empty)
    // value.
    let mut allowed: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: pid 0 is the calling thread; the kernel writes at most `size` bytes into
    // `allowed`, which is exactly that large.
    if unsafe { libc::sched_getaffinity(0, size, &mut allowed) } != 0 {
        return None;
    }
    // SAFETY: CPU_COUNT and CPU_ISSET only read the set, with indices below CPU_SETSIZE.
    let (count, last) = unsafe {
        let last =
            (0..libc::CPU_SETSIZE as usize).rev().find(|&cpu| libc::CPU_ISSET(cpu, &allowed));
        (libc::CPU_COUNT(&allowed), last)
    };
    let cpu = last.filter(|_| count > 1)?;
    // SAFETY: as above: an all-zero set is valid, and CPU_SET writes one bit below
    // CPU_SETSIZE.
    let mut one: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    unsafe { libc::CPU_SET(cpu, &mut one) };
    // SAFETY: pid 0 is the calling thread; the kernel reads `size` bytes of `one`.
    if unsafe { libc::sched_setaffinity(0, size, &one) } != 0 {
        return None;
    }
    Some(cpu)
}

/// Elsewhere the writer runs wherever the system puts it.
#[cfg(not(target_os = "linux"))]
pub fn keep_on_one_cpu() -> Option<usize> {
    None
}

/// Lets the connection's thread finish a statement before the writer thread runs again:
/// the calling thread (the writer's, once its connection is open) is scheduled as
/// `SCHED_BATCH`, which Linux never lets preempt a running thread when it wakes. sqlx's
/// connection thread sends each statement's result and each row as it goes; as a normal
/// thread the writer woke at every one of them, took the CPU they share and gave it back,
/// so a batch of statements (`statement::batch`) still cost a switch per result. Now the
/// writer takes the CPU when the connection's thread waits for its next command, and
/// reads every answer waiting at once. Returns whether the system agreed.
pub fn let_the_connection_finish() -> bool {
    set_policy(Policy::Batch)
}

/// Schedules the calling thread as a normal one again (`SCHED_OTHER`): the writer does so
/// while it opens a new connection, whose thread inherits its policy. Returns whether the
/// system agreed.
pub fn schedule_normally() -> bool {
    set_policy(Policy::Normal)
}

/// The two scheduling policies the writer thread moves between.
#[derive(Debug, Clone, Copy)]
enum Policy {
    Normal,
    Batch,
}

/// Sets the calling thread's scheduling policy; returns whether the system agreed.
#[cfg(target_os = "linux")]
fn set_policy(policy: Policy) -> bool {
    let policy = match policy {
        Policy::Normal => libc::SCHED_OTHER,
        Policy::Batch => libc::SCHED_BATCH,
    };
    let param = libc::sched_param { sched_priority: 0 };
    // SAFETY: pid 0 is the calling thread, and `param` is a valid `sched_param` with the
    // priority 0 that both policies require.
    unsafe { libc::sched_setscheduler(0, policy, &param) == 0 }
}

/// Elsewhere the writer is scheduled as any thread.
#[cfg(not(target_os = "linux"))]
fn set_policy(_: Policy) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts the CPUs the calling thread may run on.
    #[cfg(target_os = "linux")]
    fn cpus_allowed() -> i32 {
        // SAFETY: as in `keep_on_one_cpu`.
        unsafe {
            let mut allowed: libc::cpu_set_t = std::mem::zeroed();
            assert_eq!(
                libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut allowed),
                0
            );
            libc::CPU_COUNT(&allowed)
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_thread_and_the_threads_it_starts_run_on_one_cpu() {
        let here = cpus_allowed();
        std::thread::spawn(|| {
            let before = cpus_allowed();
            let chosen = keep_on_one_cpu();
            assert_eq!(chosen.is_some(), before > 1, "pinned only when there was a choice");
            assert_eq!(cpus_allowed(), 1);
            let child = std::thread::spawn(cpus_allowed).join().unwrap();
            assert_eq!(child, 1, "a thread started after inherits the one CPU");
        })
        .join()
        .unwrap();
        assert_eq!(cpus_allowed(), here, "other threads keep every CPU");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_writer_thread_alone_yields_to_its_connection() {
        // SAFETY: reading the calling thread's policy has no preconditions.
        let policy = || unsafe { libc::sched_getscheduler(0) };
        let here = policy();
        std::thread::spawn(move || {
            assert!(let_the_connection_finish());
            assert_eq!(policy(), libc::SCHED_BATCH);
            assert!(schedule_normally());
            assert_eq!(policy(), libc::SCHED_OTHER, "as a new connection is opened");
        })
        .join()
        .unwrap();
        assert_eq!(policy(), here, "other threads keep their policy");
    }
}
