//! Valgrind client requests: the one `unsafe` module of the probe crate (lib.rs allows
//! `unsafe_code` here only; the rest of the crate denies it).
//!
//! A client request is a magic instruction sequence that does nothing on a real CPU (a register
//! rotated by a multiple of 64 bits, then a no-op exchange/or) and that valgrind's JIT recognises:
//! it then reads a 6-word block `[request, arg1..arg5]` and puts the tool's answer in the result
//! register. Natively the result register keeps the default value, so every request returns the
//! default (0) when the process is not under valgrind. The sequences and the request codes are
//! those of /usr/include/valgrind/valgrind.h and callgrind.h (valgrind 3.19):
//!
//! - x86_64: `rol rdi,3; rol rdi,13; rol rdi,61; rol rdi,51; xchg rbx,rbx`, args in RAX, result
//!   (and default) in RDX.
//! - aarch64: `ror x12,x12,#3; #13; #51; #61; orr x10,x10,x10`, args in X4, result (and default)
//!   in X3.
//!
//! Other architectures: every request returns its default (the clock then says valgrind is not
//! detected).

#![allow(unsafe_code)]

/// `VG_USERREQ__RUNNING_ON_VALGRIND` (valgrind.h).
pub const RUNNING_ON_VALGRIND: usize = 0x1001;

/// `VG_USERREQ_TOOL_BASE('C','T')`: the first of callgrind's requests (callgrind.h).
const CALLGRIND_BASE: usize = (b'C' as usize) << 24 | (b'T' as usize) << 16;
/// `VG_USERREQ__DUMP_STATS`: write the costs so far to a new dump file, then zero them.
pub const CALLGRIND_DUMP_STATS: usize = CALLGRIND_BASE;
/// `VG_USERREQ__ZERO_STATS`.
pub const CALLGRIND_ZERO_STATS: usize = CALLGRIND_BASE + 1;
/// `VG_USERREQ__TOGGLE_COLLECT`: flips whether events are counted.
pub const CALLGRIND_TOGGLE_COLLECT: usize = CALLGRIND_BASE + 2;
/// `VG_USERREQ__DUMP_STATS_AT` (arg1: a C string naming the dump).
pub const CALLGRIND_DUMP_STATS_AT: usize = CALLGRIND_BASE + 3;
/// `VG_USERREQ__START_INSTRUMENTATION`.
pub const CALLGRIND_START_INSTRUMENTATION: usize = CALLGRIND_BASE + 4;
/// `VG_USERREQ__STOP_INSTRUMENTATION`.
pub const CALLGRIND_STOP_INSTRUMENTATION: usize = CALLGRIND_BASE + 5;

/// `VALGRIND_DO_CLIENT_REQUEST_EXPR(default, request, a1..a5)`: the tool's answer under
/// valgrind, `default` otherwise.
#[inline(never)]
pub fn client_request(default: usize, request: usize, args: [usize; 5]) -> usize {
    let block: [usize; 6] = [request, args[0], args[1], args[2], args[3], args[4]];
    let block = std::hint::black_box(block);
    do_request(default, &block)
}

#[cfg(target_arch = "x86_64")]
fn do_request(default: usize, block: &[usize; 6]) -> usize {
    let result: usize;
    // SAFETY: the rotations add up to 128 bits, so RDI keeps its value, and `xchg rbx, rbx`
    // changes nothing: natively the sequence only clobbers the flags (which asm! assumes by
    // default). Under valgrind the tool reads the 6 words at RAX (a live array) and writes the
    // answer to RDX. No `nomem`: the tool may read and write memory.
    unsafe {
        std::arch::asm!(
            "rol rdi, 3",
            "rol rdi, 13",
            "rol rdi, 61",
            "rol rdi, 51",
            "xchg rbx, rbx",
            inout("rdx") default => result,
            in("rax") block.as_ptr(),
            options(nostack),
        );
    }
    result
}

#[cfg(target_arch = "aarch64")]
fn do_request(default: usize, block: &[usize; 6]) -> usize {
    let result: usize;
    // SAFETY: the rotations add up to 128 bits, so X12 keeps its value, and
    // `orr x10, x10, x10` changes nothing. Under valgrind the tool reads the 6 words at X4 and
    // writes the answer to X3. No `nomem`: the tool may read and write memory.
    unsafe {
        std::arch::asm!(
            "ror x12, x12, #3",
            "ror x12, x12, #13",
            "ror x12, x12, #51",
            "ror x12, x12, #61",
            "orr x10, x10, x10",
            inout("x3") default => result,
            in("x4") block.as_ptr(),
            options(nostack, preserves_flags),
        );
    }
    result
}

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
fn do_request(default: usize, _block: &[usize; 6]) -> usize {
    default
}

/// `RUNNING_ON_VALGRIND`: 0 natively, the number of valgrinds the process runs under otherwise.
pub fn running_on_valgrind() -> usize {
    client_request(0, RUNNING_ON_VALGRIND, [0; 5])
}

/// A callgrind request without arguments (`CALLGRIND_ZERO_STATS`, `..._TOGGLE_COLLECT`, ...).
pub fn callgrind(request: usize) {
    client_request(0, request, [0; 5]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_codes_match_callgrind_h() {
        // VG_USERREQ_TOOL_BASE('C','T') = 0x43540000, then the enum in order.
        assert_eq!(CALLGRIND_DUMP_STATS, 0x4354_0000);
        assert_eq!(CALLGRIND_ZERO_STATS, 0x4354_0001);
        assert_eq!(CALLGRIND_TOGGLE_COLLECT, 0x4354_0002);
        assert_eq!(CALLGRIND_DUMP_STATS_AT, 0x4354_0003);
        assert_eq!(CALLGRIND_START_INSTRUMENTATION, 0x4354_0004);
        assert_eq!(CALLGRIND_STOP_INSTRUMENTATION, 0x4354_0005);
        assert_eq!(RUNNING_ON_VALGRIND, 0x1001);
    }

    #[test]
    fn natively_requests_return_their_default() {
        // `cargo test` runs natively: the magic sequence is a no-op and the default comes back.
        assert_eq!(running_on_valgrind(), 0);
        assert_eq!(client_request(7, RUNNING_ON_VALGRIND, [0; 5]), 7);
        assert_eq!(
            client_request(42, CALLGRIND_ZERO_STATS, [1, 2, 3, 4, 5]),
            42
        );
    }
}
