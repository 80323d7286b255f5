//! The measurement probe (DESIGN.md section 3): clocks JavaScript does not have, getrusage, and
//! hardware instruction counts where the kernel allows them.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use perfgate_napi::sys::{self, PerfCounter};
use perfgate_napi::{CallArgs, Env, Js, JsResult};

use crate::valgrind;

/// version(): the crate version.
pub fn version<'a>(env: &'a Env, _args: &CallArgs<'a>) -> JsResult<'a> {
    env.create_string(env!("CARGO_PKG_VERSION"))
}

/// monotonicNs(): CLOCK_MONOTONIC in nanoseconds (exact as a double below 2^53 ns).
pub fn monotonic_ns<'a>(env: &'a Env, _args: &CallArgs<'a>) -> JsResult<'a> {
    let ns = sys::monotonic_ns().map_err(|e| e.to_string())?;
    env.create_f64(ns as f64)
}

/// threadCpuNs(): CPU time of the calling thread in nanoseconds.
pub fn thread_cpu_ns<'a>(env: &'a Env, _args: &CallArgs<'a>) -> JsResult<'a> {
    let ns = sys::thread_cpu_ns().map_err(|e| e.to_string())?;
    env.create_f64(ns as f64)
}

/// The `Rusage` object of native/index.d.ts.
pub fn rusage_js() -> Result<Js, String> {
    let r = sys::rusage_self().map_err(|e| format!("getrusage: {e}"))?;
    Ok(Js::object([
        ("maxRssBytes", Js::from(r.max_rss_bytes)),
        ("minorFaults", Js::from(r.minor_faults)),
        ("majorFaults", Js::from(r.major_faults)),
        (
            "voluntaryContextSwitches",
            Js::from(r.voluntary_context_switches),
        ),
        (
            "involuntaryContextSwitches",
            Js::from(r.involuntary_context_switches),
        ),
        ("userCpuNs", Js::from(r.user_cpu_ns)),
        ("systemCpuNs", Js::from(r.system_cpu_ns)),
    ]))
}

/// rusage(): getrusage(RUSAGE_SELF), see `Rusage` in native/index.d.ts.
pub fn rusage<'a>(env: &'a Env, _args: &CallArgs<'a>) -> JsResult<'a> {
    env.create_js(&rusage_js()?)
}

fn errno_name(code: i32) -> &'static str {
    match code {
        1 => "EPERM",
        2 => "ENOENT",
        13 => "EACCES",
        19 => "ENODEV",
        22 => "EINVAL",
        24 => "EMFILE",
        38 => "ENOSYS",
        95 => "EOPNOTSUPP",
        _ => "",
    }
}

/// Why perf_event_open failed, in words a user can act on.
pub fn perf_reason(err: &io::Error, paranoid: Option<i32>) -> String {
    let Some(code) = err.raw_os_error() else {
        return err.to_string();
    };
    let errno = match errno_name(code) {
        "" => format!("errno {code}"),
        name => format!("errno {code}, {name}"),
    };
    match code {
        // ENOENT, ENODEV, EOPNOTSUPP: no hardware counter here (typical of cloud VMs).
        2 | 19 | 95 => format!("perf_event_open: not supported on this machine ({errno})"),
        1 | 13 => {
            let setting = paranoid.map_or(String::new(), |p| {
                format!("; kernel.perf_event_paranoid is {p}, 2 or lower allows it")
            });
            format!("perf_event_open: permission denied ({errno}){setting}")
        }
        38 => format!("perf_event_open: the kernel has no perf events ({errno})"),
        _ => format!("perf_event_open failed: {err} ({errno})"),
    }
}

fn perf_event_paranoid() -> Option<i32> {
    std::fs::read_to_string("/proc/sys/kernel/perf_event_paranoid")
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Opens, runs and reads one counter over a small loop; `Err(reason)` when that is impossible
/// or the counter stays at zero (a virtual PMU that counts nothing).
fn check_instructions() -> Result<(), String> {
    let counter =
        PerfCounter::open_instructions().map_err(|e| perf_reason(&e, perf_event_paranoid()))?;
    counter
        .reset_and_enable()
        .map_err(|e| format!("perf_event_open: enabling the counter failed: {e}"))?;
    let mut acc = 0u64;
    for i in 0..10_000u64 {
        acc = std::hint::black_box(acc.wrapping_mul(31).wrapping_add(i));
    }
    std::hint::black_box(acc);
    counter
        .disable()
        .map_err(|e| format!("perf_event_open: disabling the counter failed: {e}"))?;
    match counter.read() {
        Ok(0) => Err("perf_event_open: the counter opened but counted no instructions".to_owned()),
        Ok(_) => Ok(()),
        Err(e) => Err(format!("perf_event_open: reading the counter failed: {e}")),
    }
}

/// Whether hardware instruction counting works here; checked once per process.
pub fn instructions_status() -> &'static Result<(), String> {
    static STATUS: OnceLock<Result<(), String>> = OnceLock::new();
    STATUS.get_or_init(check_instructions)
}

/// instructionsAvailable(): `{ available: true }` or `{ available: false, reason }`.
pub fn instructions_available<'a>(env: &'a Env, _args: &CallArgs<'a>) -> JsResult<'a> {
    let js = match instructions_status() {
        Ok(()) => Js::object([("available", Js::Bool(true))]),
        Err(reason) => Js::object([
            ("available", Js::Bool(false)),
            ("reason", Js::from(reason.as_str())),
        ]),
    };
    env.create_js(&js)
}

/// Counters started from JavaScript and not stopped yet, by handle (their fd). Only these can
/// be stopped, so a stray number never closes a descriptor the counter does not own.
static RUNNING: Mutex<Vec<PerfCounter>> = Mutex::new(Vec::new());

fn running() -> std::sync::MutexGuard<'static, Vec<PerfCounter>> {
    RUNNING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Starts counting instructions of the calling thread; returns the handle.
pub fn start_instructions() -> Result<i32, String> {
    if let Err(reason) = instructions_status() {
        return Err(format!("instruction counting is unavailable: {reason}"));
    }
    let counter =
        PerfCounter::open_instructions().map_err(|e| perf_reason(&e, perf_event_paranoid()))?;
    counter
        .reset_and_enable()
        .map_err(|e| format!("perf_event_open: enabling the counter failed: {e}"))?;
    let handle = counter.fd();
    running().push(counter);
    Ok(handle)
}

/// Stops the counter `handle`, closes it and returns its count.
pub fn stop_instructions(handle: i32) -> Result<u64, String> {
    let counter = {
        let mut list = running();
        let index = list
            .iter()
            .position(|c| c.fd() == handle)
            .ok_or_else(|| format!("instructionsStop: no running counter with handle {handle}"))?;
        list.swap_remove(index)
    };
    counter
        .disable()
        .map_err(|e| format!("perf_event_open: disabling the counter failed: {e}"))?;
    counter
        .read()
        .map_err(|e| format!("perf_event_open: reading the counter failed: {e}"))
}

/// instructionsStart(): handle.
pub fn instructions_start<'a>(env: &'a Env, _args: &CallArgs<'a>) -> JsResult<'a> {
    let handle = start_instructions()?;
    env.create_f64(f64::from(handle))
}

/// instructionsStop(handle): instructions retired since the matching start.
pub fn instructions_stop<'a>(env: &'a Env, args: &CallArgs<'a>) -> JsResult<'a> {
    let handle = args.arg_i64(0)?;
    let handle = i32::try_from(handle)
        .map_err(|_| format!("instructionsStop: no running counter with handle {handle}"))?;
    let count = stop_instructions(handle)?;
    env.create_f64(count as f64)
}

// ---------------------------------------------------------------------------------------------
// Callgrind (the instructions clock under valgrind, src/measure/callgrind.ts)

/// Whether a batch is being counted (between `callgrind_collect_start` and its stop).
static COLLECTING: AtomicBool = AtomicBool::new(false);

/// Starts counting a batch: zero callgrind's costs. The process runs with `--collect-atstart=yes`,
/// so every thread collects once instrumentation is on (a toggle would switch collection for the
/// calling thread only, and threads the measured code starts would not be counted: measured on a
/// C program whose main thread runs 100k iterations and starts two threads of 1M each, a batch
/// read 0.60 M instructions with the toggle and 12.6 M with collection on in every thread). The
/// costs of all threads are kept together (no `--separate-threads`), so the zero and the dump
/// cover them all.
pub fn callgrind_collect_start() -> Result<(), String> {
    if COLLECTING.swap(true, Ordering::SeqCst) {
        return Err(
            "callgrindCollect: collection is already on (a start without its dump)".to_owned(),
        );
    }
    valgrind::callgrind(valgrind::CALLGRIND_ZERO_STATS);
    Ok(())
}

/// Ends the batch: dumps the costs of every thread since the start to the next dump file, which
/// zeroes them.
pub fn callgrind_collect_stop() -> Result<(), String> {
    if !COLLECTING.swap(false, Ordering::SeqCst) {
        return Err("callgrindDump: collection is not on (a dump without its start)".to_owned());
    }
    valgrind::callgrind(valgrind::CALLGRIND_DUMP_STATS);
    Ok(())
}

/// valgrindRunning(): RUNNING_ON_VALGRIND (0 natively).
pub fn valgrind_running<'a>(env: &'a Env, _args: &CallArgs<'a>) -> JsResult<'a> {
    env.create_f64(valgrind::running_on_valgrind() as f64)
}

/// callgrindInstrument(on): CALLGRIND_START_INSTRUMENTATION / _STOP_INSTRUMENTATION (for a
/// process started with `--instr-atstart=no`).
pub fn callgrind_instrument<'a>(env: &'a Env, args: &CallArgs<'a>) -> JsResult<'a> {
    let on = args.arg_i64(0)? != 0;
    valgrind::callgrind(if on {
        valgrind::CALLGRIND_START_INSTRUMENTATION
    } else {
        valgrind::CALLGRIND_STOP_INSTRUMENTATION
    });
    env.create_undefined()
}

/// callgrindCollect(): see `callgrind_collect_start`.
pub fn callgrind_collect<'a>(env: &'a Env, _args: &CallArgs<'a>) -> JsResult<'a> {
    callgrind_collect_start()?;
    env.create_undefined()
}

/// callgrindDump(): see `callgrind_collect_stop`.
pub fn callgrind_dump<'a>(env: &'a Env, _args: &CallArgs<'a>) -> JsResult<'a> {
    callgrind_collect_stop()?;
    env.create_undefined()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monotonic_clock_advances() {
        let a = sys::monotonic_ns().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = sys::monotonic_ns().unwrap();
        assert!(b >= a + 1_000_000, "{a} -> {b}");
    }

    #[test]
    fn thread_cpu_clock_counts_work_not_sleep() {
        let a = sys::thread_cpu_ns().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(30));
        let b = sys::thread_cpu_ns().unwrap();
        assert!(b - a < 20_000_000, "sleeping used {} ns of CPU", b - a);
        let mut acc = 0u64;
        while sys::thread_cpu_ns().unwrap() - b < 5_000_000 {
            acc = std::hint::black_box(acc.wrapping_add(1));
        }
        assert!(acc > 0);
    }

    #[test]
    fn rusage_is_plausible() {
        let r = sys::rusage_self().unwrap();
        assert!(r.max_rss_bytes > 1 << 20, "{r:?}");
        assert!(r.user_cpu_ns + r.system_cpu_ns > 0, "{r:?}");
        let Js::Obj(fields) = rusage_js().unwrap() else {
            panic!("not an object")
        };
        assert_eq!(fields.len(), 7);
        assert_eq!(fields[0].0, "maxRssBytes");
    }

    #[test]
    fn perf_reasons_name_the_errno_and_the_fix() {
        let e = io::Error::from_raw_os_error(2);
        assert_eq!(
            perf_reason(&e, Some(2)),
            "perf_event_open: not supported on this machine (errno 2, ENOENT)"
        );
        let e = io::Error::from_raw_os_error(13);
        assert_eq!(
            perf_reason(&e, Some(3)),
            "perf_event_open: permission denied (errno 13, EACCES); kernel.perf_event_paranoid is 3, 2 or lower allows it"
        );
    }

    #[test]
    fn instructions_either_count_or_say_why() {
        match instructions_status() {
            Ok(()) => {
                let h = start_instructions().unwrap();
                let mut acc = 0u64;
                for i in 0..100_000u64 {
                    acc = std::hint::black_box(acc ^ i);
                }
                assert!(stop_instructions(h).unwrap() > 100_000);
                assert!(stop_instructions(h).is_err(), "a handle stops once");
            }
            Err(reason) => {
                assert!(reason.starts_with("perf_event_open"), "{reason}");
                assert!(start_instructions().is_err());
            }
        }
        assert!(stop_instructions(12345).is_err());
    }

    #[test]
    fn callgrind_collection_pairs_start_and_dump() {
        // Natively the requests are no-ops; the pairing is still checked.
        assert!(callgrind_collect_stop().is_err(), "a dump needs a start");
        callgrind_collect_start().unwrap();
        assert!(callgrind_collect_start().is_err(), "one start at a time");
        callgrind_collect_stop().unwrap();
    }
}
