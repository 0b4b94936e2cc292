//! The CPU clock the fuzzer's hang watchdog and `--cpu` budget read. One test in its own
//! binary, so no other test's threads add to this process's CPU time.

use entente_fuzz::cpu_ms;
use std::time::{Duration, Instant};

#[test]
fn cpu_time_grows_with_work_and_not_with_sleep() {
    let before = cpu_ms();
    let clock = Instant::now();
    let mut x = 0u64;
    while cpu_ms() - before < 200 && clock.elapsed() < Duration::from_secs(20) {
        x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
    }
    assert!(cpu_ms() - before >= 200, "20 s of spinning never counted 200 ms of CPU");
    assert!(clock.elapsed() >= Duration::from_millis(150), "CPU time ran ahead of the wall clock");
    let before = cpu_ms();
    std::thread::sleep(Duration::from_millis(500));
    assert!(cpu_ms() - before < 200, "sleeping counted as CPU time");
}
