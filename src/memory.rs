//! The binary's allocator, and running out of memory clearly: [`Guarded`], the binary's global
//! allocator, is mimalloc wrapped (glibc's `malloc` took a quarter of a build's CPU time, in its
//! free-list upkeep: with mimalloc the 10k build takes 15 % less CPU and a fifth less peak
//! memory, `docs/scaling.md`). It turns an allocation the system refuses into one line on stderr naming the phase
//! the build was in, the memory held and the output folder left untouched, plus a hint, and
//! exits with code 1 — instead of Rust's bare `memory allocation of N bytes failed` and an
//! abort. The failure path allocates nothing: the phase is a number, the output folder's name
//! is kept in a leaked buffer set before the build starts, the message is formatted into a
//! fixed buffer on the stack and written with `write(2)`. A fallible allocation
//! (`try_reserve`, `read_to_end`'s buffer) the system refuses ends the process the same way:
//! nothing in jawnik goes on after one, and a build short of memory is better stopped whole.
//!
//! What this cannot catch: Linux's OOM killer ends a process with SIGKILL, which no program
//! can handle (the shell says `Killed`, exit code 137). Either way the previous site stays as
//! it was (the new one is written into a temporary folder beside it, see [`crate::output`]),
//! and the next build removes that temporary folder. An address-space limit (`ulimit -v`,
//! `prlimit --as`) makes the system refuse allocations instead of killing, so the failure is
//! this clean one (docs/hardening.md).

use mimalloc::MiMalloc;
use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU8, Ordering};

/// The phase a build is in, for the message (its number is what the allocator keeps).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    Start = 0,
    Load,
    Extract,
    Render,
    Index,
    Swap,
    Serve,
}

impl Phase {
    const ALL: [Phase; 7] = [
        Phase::Start,
        Phase::Load,
        Phase::Extract,
        Phase::Render,
        Phase::Index,
        Phase::Swap,
        Phase::Serve,
    ];

    /// The phase's name, as the build's timings call it.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Start => "start-up",
            Phase::Load => "load",
            Phase::Extract => "extract",
            Phase::Render => "render + write",
            Phase::Index => "index + export",
            Phase::Swap => "swap",
            Phase::Serve => "serve's update after an edit",
        }
    }
}

static PHASE: AtomicU8 = AtomicU8::new(Phase::Start as u8);
/// The output folder being replaced (a leaked `Box<[u8]>`, never freed: the failure path
/// may be reading it from another thread).
static OUTPUT: AtomicPtr<Box<[u8]>> = AtomicPtr::new(std::ptr::null_mut());
static FAILING: AtomicBool = AtomicBool::new(false);

/// Record the phase the build enters.
pub fn set_phase(phase: Phase) {
    PHASE.store(phase as u8, Ordering::Relaxed);
}

/// Record the output folder the build replaces (said untouched if memory runs out).
pub fn set_output(dir: &std::path::Path) {
    use std::os::unix::ffi::OsStrExt;
    let current = OUTPUT.load(Ordering::Acquire);
    // SAFETY: a non-null pointer is a leaked box, never freed.
    if !current.is_null() && unsafe { &**current }[..] == *dir.as_os_str().as_bytes() {
        return;
    }
    let bytes: Box<[u8]> = dir.as_os_str().as_bytes().into();
    OUTPUT.store(Box::into_raw(Box::new(bytes)), Ordering::Release);
}

/// mimalloc, failing clearly (see the module doc). Installed by the `jawnik`
/// binary with `#[global_allocator]`.
pub struct Guarded;

// SAFETY: every call is forwarded to `MiMalloc` unchanged; only a null result is intercepted,
// and then the process ends.
unsafe impl GlobalAlloc for Guarded {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { MiMalloc.alloc(layout) };
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { MiMalloc.alloc_zeroed(layout) };
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { MiMalloc.realloc(ptr, layout, new_size) };
        if p.is_null() {
            out_of_memory(new_size);
        }
        p
    }
}

/// A message being formatted into a fixed buffer (longer text is cut).
struct Buf {
    bytes: [u8; 1024],
    len: usize,
}

impl std::fmt::Write for Buf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let n = s.len().min(self.bytes.len() - self.len);
        self.bytes[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

/// Write all of `bytes` to stderr, ignoring errors (there is nothing else to do).
fn write_stderr(bytes: &[u8]) {
    let mut rest = bytes;
    while !rest.is_empty() {
        // SAFETY: writes from a valid buffer of the length given.
        let n = unsafe { libc::write(2, rest.as_ptr().cast(), rest.len()) };
        if n <= 0 {
            return;
        }
        rest = &rest[n as usize..];
    }
}

/// The process's resident memory and address space in bytes, from `/proc/self/statm`
/// (read into a stack buffer: nothing is allocated).
fn held() -> Option<(u64, u64)> {
    // SAFETY: a NUL-terminated path; the buffer outlives the read; the descriptor is closed.
    let (buf, n) = unsafe {
        let fd = libc::open(
            c"/proc/self/statm".as_ptr(),
            libc::O_RDONLY | libc::O_CLOEXEC,
        );
        if fd < 0 {
            return None;
        }
        let mut buf = [0u8; 128];
        let n = libc::read(fd, buf.as_mut_ptr().cast(), buf.len());
        libc::close(fd);
        (buf, n)
    };
    if n <= 0 {
        return None;
    }
    let text = std::str::from_utf8(&buf[..n as usize]).ok()?;
    let mut fields = text.split_ascii_whitespace().map(|f| f.parse::<u64>().ok());
    let size = fields.next()??;
    let resident = fields.next()??;
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(1) as u64;
    Some((resident * page, size * page))
}

/// The address-space limit (`ulimit -v`), if one is set.
fn address_limit() -> Option<u64> {
    // SAFETY: getrlimit writes into the zeroed struct it is given.
    let mut r: libc::rlimit = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut r) } != 0 || r.rlim_cur == libc::RLIM_INFINITY
    {
        return None;
    }
    Some(r.rlim_cur as u64)
}

/// Write the message (see the module doc): `requested` is the size of the allocation
/// refused, when known. Allocates nothing (`m` is a fixed buffer on the failure path).
fn write_message(m: &mut impl std::fmt::Write, requested: Option<usize>) -> std::fmt::Result {
    let mib = |b: u64| b.div_ceil(1 << 20);
    let phase = Phase::ALL
        .get(PHASE.load(Ordering::Relaxed) as usize)
        .copied()
        .unwrap_or(Phase::Start);
    let out = OUTPUT.load(Ordering::Acquire);
    // SAFETY: a non-null pointer is a leaked box, never freed.
    let out: Option<&[u8]> = (!out.is_null()).then(|| unsafe { &**out });
    m.write_str("error: out of memory")?;
    // Outside a build (`check`, `search`, …) there is no phase and no site being replaced.
    if phase != Phase::Start {
        write!(m, " during {}", phase.name())?;
    }
    m.write_str(" (")?;
    match held() {
        Some((resident, size)) => write!(
            m,
            "{} MiB held, {} MiB of address space",
            mib(resident),
            mib(size)
        )?,
        None => m.write_str("memory held unknown")?,
    }
    if let Some(limit) = address_limit() {
        write!(m, " of a {} MiB limit", mib(limit))?;
    }
    if let Some(n) = requested {
        write!(m, "; {n} more bytes were refused")?;
    }
    m.write_str(").")?;
    // (`from_utf8`, not `from_utf8_lossy`: nothing may be allocated here.)
    match out.map(std::str::from_utf8) {
        Some(Ok(dir)) => write!(m, " The previous site in {dir} is untouched.")?,
        Some(Err(_)) => m.write_str(" The previous site is untouched.")?,
        None => {}
    }
    m.write_str(
        "\nhint: close other programs or use a machine with more memory; \
         if an address-space limit is set (ulimit -v), raise it.",
    )?;
    if out.is_some() {
        m.write_str(" The next build removes the unfinished temporary folder.")?;
    }
    Ok(())
}

/// The message of a build stopped by memory the system refused to give otherwise than
/// through the allocator (a thread or a memory map it could not make), for its error.
pub fn message() -> String {
    let mut m = String::new();
    let _ = write_message(&mut m, None);
    m
}

/// Whether `e` was caused by the system refusing memory: an I/O error `ENOMEM` (a memory
/// map), or `EAGAIN` where a thread could not be made (its stack is memory too).
pub fn is_out_of_memory(e: &anyhow::Error) -> bool {
    let io = |e: &std::io::Error| {
        e.kind() == std::io::ErrorKind::OutOfMemory || e.raw_os_error() == Some(libc::EAGAIN)
    };
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(io)
            || matches!(c.downcast_ref::<tantivy::TantivyError>(),
                Some(tantivy::TantivyError::IoError(e)) if io(e))
    })
}

/// Say that memory ran out, clearly, and end the process (code 1). Allocates nothing.
pub fn out_of_memory(requested: usize) -> ! {
    use std::fmt::Write;
    if FAILING.swap(true, Ordering::SeqCst) {
        // Another thread is saying it and ending the process.
        loop {
            // SAFETY: pause only waits for a signal.
            unsafe { libc::pause() };
        }
    }
    let mut m = Buf {
        bytes: [0; 1024],
        len: 0,
    };
    // SAFETY: isatty has no preconditions.
    if unsafe { libc::isatty(2) } == 1 {
        // Clear the progress bar's line first.
        let _ = m.write_str("\r\x1b[2K");
    }
    let _ = write_message(&mut m, Some(requested));
    let _ = m.write_str("\n");
    write_stderr(&m.bytes[..m.len]);
    // SAFETY: ends the process at once, without running destructors (which may allocate).
    unsafe { libc::_exit(1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_the_phase_the_output_and_what_to_do() {
        set_phase(Phase::Render);
        set_output(std::path::Path::new("/site/public"));
        let m = message();
        assert!(
            m.starts_with("error: out of memory during render + write ("),
            "{m}"
        );
        assert!(m.contains(" MiB held, "), "{m}");
        assert!(
            m.contains("The previous site in /site/public is untouched.\nhint: "),
            "{m}"
        );
        assert!(
            m.ends_with("The next build removes the unfinished temporary folder."),
            "{m}"
        );
        set_phase(Phase::Start);
    }

    #[test]
    fn refused_maps_and_threads_count_as_out_of_memory() {
        let enomem = std::io::Error::from_raw_os_error(libc::ENOMEM);
        assert!(is_out_of_memory(&anyhow::Error::new(enomem)));
        let eagain = std::io::Error::from_raw_os_error(libc::EAGAIN);
        let tantivy = tantivy::TantivyError::IoError(std::sync::Arc::new(eagain));
        assert!(is_out_of_memory(
            &anyhow::Error::new(tantivy).context("writing the index")
        ));
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert!(!is_out_of_memory(&anyhow::Error::new(missing)));
    }
}
