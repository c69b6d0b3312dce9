//! Capacity estimates by DynamoDB's billing rules: a read unit per 4 KB
//! read strongly consistently (half for eventually consistent reads, twice
//! in a transaction), a write unit per 1 KB written (twice in a
//! transaction), rounded up per item, and a query's items summed before
//! rounding (<https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/provisioned-capacity-mode.html>).

use std::sync::atomic::{AtomicU64, Ordering};

/// Capacity units consumed.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Capacity {
    /// Read capacity units (RRUs on demand).
    pub read_units: f64,
    /// Write capacity units on the table (WRUs on demand).
    pub write_units: f64,
    /// Write capacity units on the global secondary indexes.
    pub index_write_units: f64,
}

/// Running totals (reads in half units).
#[derive(Debug, Default)]
pub(crate) struct Meter {
    read_halves: AtomicU64,
    writes: AtomicU64,
    index_writes: AtomicU64,
}

impl Meter {
    /// A read of `bytes` (one item, or a Query's items together).
    pub(crate) fn read(&self, bytes: usize, consistent: bool, factor: u64) {
        let units = bytes.div_ceil(4096).max(1) as u64;
        let halves = if consistent { units * 2 } else { units };
        self.read_halves.fetch_add(halves * factor, Ordering::Relaxed);
    }

    /// A write of one item of `bytes`; `factor` 2 in a transaction.
    pub(crate) fn write(&self, bytes: usize, factor: u64) {
        self.writes.fetch_add(bytes.div_ceil(1024).max(1) as u64 * factor, Ordering::Relaxed);
    }

    /// `count` index writes of an item of about `bytes`.
    pub(crate) fn index_write(&self, bytes: usize, count: u64) {
        self.index_writes.fetch_add(bytes.div_ceil(1024).max(1) as u64 * count, Ordering::Relaxed);
    }

    /// The totals.
    pub(crate) fn capacity(&self) -> Capacity {
        Capacity {
            read_units: self.read_halves.load(Ordering::Relaxed) as f64 / 2.0,
            write_units: self.writes.load(Ordering::Relaxed) as f64,
            index_write_units: self.index_writes.load(Ordering::Relaxed) as f64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_round_up_per_item_and_double_in_transactions() {
        let meter = Meter::default();
        meter.read(1, true, 1);
        meter.read(4097, false, 1);
        meter.write(1025, 2);
        meter.write(0, 1);
        let c = meter.capacity();
        assert_eq!((c.read_units, c.write_units), (2.0, 5.0));
    }
}
