//! One fixed region of memory for every SQLite connection's page cache.
//!
//! By default each connection allocates its cached pages (4 KiB and a small header each)
//! with `malloc`, on the thread that runs the connection. Under the soft heap limit
//! ([`super::SOFT_HEAP_LIMIT_KIB`]) those pages are handed back and taken again all day
//! long, on seventeen threads, each with its own malloc arena: SQLite's own count stays
//! flat, but the arenas keep the holes the churn leaves, and resident memory creeps up
//! (docs/RELIABILITY.md, "Memory under a long soak"). With a region set aside before
//! SQLite starts (`SQLITE_CONFIG_PAGECACHE`), pages come from a free list of equal slots
//! in that one region instead, so the churn never reaches malloc. The region is resident
//! from the start: SQLite threads its free list through every slot when it takes the
//! region, touching each one, so an idle server holds all of it too (measured with
//! `/proc/PID/smaps`: 9.1 MB resident of the 9.6 MB mapping right after start-up when each
//! connection cached 512 KiB; that is why [`super::PAGE_CACHE_KIB`] is now 128, and the
//! region about 2.4 MB).

use std::sync::OnceLock;

use std::os::raw::c_int;

/// The largest database page Kindred uses: SQLite's default page size.
const PAGE_SIZE: usize = 4096;

/// How many pages the region holds: every connection's full cache
/// ([`super::PAGE_CACHE_KIB`]) for the connections a server opens (two pools of eight,
/// the writer and the live-update reader), so the region only runs short when a pool
/// grows. Past it, SQLite falls back to `malloc` for the extra pages, as before.
pub const SLOTS: usize = 18 * (super::PAGE_CACHE_KIB as usize * 1024 / PAGE_SIZE);

/// What [`reserve`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reserved {
    /// The region is SQLite's page cache: `slots` pages of `slot_bytes` each.
    Region {
        /// Pages it holds.
        slots: usize,
        /// Bytes per page, with SQLite's header.
        slot_bytes: usize,
    },
    /// SQLite had already started in this process (a connection was opened first), so it
    /// keeps allocating pages with `malloc`. Carries SQLite's result code.
    TooLate(i32),
}

static RESERVED: OnceLock<Reserved> = OnceLock::new();

/// Gives SQLite its page-cache region. Call once, before the first connection opens
/// (the server does so first thing); later calls return the first call's result.
pub fn reserve() -> Reserved {
    *RESERVED.get_or_init(|| {
        let mut header: c_int = 0;
        // SAFETY: SQLITE_CONFIG_PCACHE_HDRSZ takes one `int*`, which SQLite writes the
        // per-page header size to; it may be called at any time.
        unsafe {
            libsqlite3_sys::sqlite3_config(
                libsqlite3_sys::SQLITE_CONFIG_PCACHE_HDRSZ,
                &mut header as *mut c_int,
            );
        }
        // SQLite rounds a slot down to a multiple of eight; round up so a page still fits.
        let slot_bytes = (PAGE_SIZE + usize::try_from(header).unwrap_or(0)).next_multiple_of(8);
        // Zeroed memory this large comes straight from the kernel (mmap); SQLite writes a
        // free-list link into every slot at once. It lives as long as the process, as
        // SQLite needs.
        let region: &'static mut [u8] = Box::leak(vec![0u8; slot_bytes * SLOTS].into_boxed_slice());
        // SAFETY: SQLITE_CONFIG_PAGECACHE takes a pointer to 8-byte-aligned memory (the
        // allocator aligns to 16), the slot size and the slot count, all `int`-sized here
        // (`SLOTS` and `slot_bytes` are small constants). The region is never freed. SQLite
        // refuses the call with SQLITE_MISUSE once it has initialised, which is reported.
        let code = unsafe {
            libsqlite3_sys::sqlite3_config(
                libsqlite3_sys::SQLITE_CONFIG_PAGECACHE,
                region.as_mut_ptr().cast::<std::ffi::c_void>(),
                slot_bytes as c_int,
                SLOTS as c_int,
            )
        };
        if code == libsqlite3_sys::SQLITE_OK {
            Reserved::Region { slots: SLOTS, slot_bytes }
        } else {
            Reserved::TooLate(code)
        }
    })
}

/// Pages of the region in use right now, and the bytes of page cache SQLite holds from
/// `malloc` right now because the region was full when it needed them.
pub fn slots_in_use() -> (i64, i64) {
    let read = |what: c_int| {
        let (mut current, mut highest) = (0i64, 0i64);
        // SAFETY: sqlite3_status64 writes two `sqlite3_int64`s through the pointers given;
        // the statistics are guarded by SQLite's own mutex.
        unsafe { libsqlite3_sys::sqlite3_status64(what, &mut current, &mut highest, 0) };
        current
    };
    (
        read(libsqlite3_sys::SQLITE_STATUS_PAGECACHE_USED),
        read(libsqlite3_sys::SQLITE_STATUS_PAGECACHE_OVERFLOW),
    )
}

/// Bytes of page cache SQLite holds in the region (not counted by
/// `sqlite3_memory_used`, which only counts what it took from `malloc`).
pub fn bytes_in_use() -> i64 {
    match RESERVED.get() {
        Some(Reserved::Region { slot_bytes, .. }) => {
            slots_in_use().0 * i64::try_from(*slot_bytes).unwrap_or(0)
        }
        _ => 0,
    }
}
