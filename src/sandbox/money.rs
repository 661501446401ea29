//! Exchange and fee maths of the sandbox, in exact integers (u128 intermediates, never floats).
//!
//! A [`Conversion`] turns a sender amount (minor units of the sender's asset) into a receiver
//! amount (minor units of the receiver's asset): first the fee (basis points of the debit, rounded
//! **up**, kept by the sandbox) is taken off, then the rest is converted at the fixed rate and
//! rounded **down**. So the receiver never gets more than quoted and the sender never pays less
//! than quoted. Fixed-receive quotes search the smallest debit whose fixed-send result reaches the
//! requested receive amount.

/// A positive rational number `num / den`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ratio {
    num: u128,
    den: u128,
}

impl Ratio {
    /// Parses a positive decimal such as `0.9` or `1.0825` (at most 18 fraction digits).
    pub(crate) fn parse_decimal(text: &str) -> Option<Self> {
        let (num, places) = crate::amount::decimal_fraction(text)?;
        if places > 18 {
            return None;
        }
        let den = 10u128.checked_pow(places)?;
        (num > 0).then_some(Self { num, den })
    }

    /// `1`.
    pub(crate) const ONE: Self = Self { num: 1, den: 1 };

    /// `1 / self`.
    pub(crate) fn inverse(self) -> Self {
        Self {
            num: self.den,
            den: self.num,
        }
    }
}

/// How a sender asset converts into a receiver asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Conversion {
    /// Receiver major units per sender major unit.
    pub(crate) rate: Ratio,
    /// Sender asset scale.
    pub(crate) from_scale: u8,
    /// Receiver asset scale.
    pub(crate) to_scale: u8,
    /// Fee in basis points (1/10000) of the debit amount, below 10000.
    pub(crate) fee_basis_points: u32,
}

const BASIS: u128 = 10_000;

fn ceil_div(a: u128, b: u128) -> Option<u128> {
    if b == 0 {
        return None;
    }
    Some(a / b + u128::from(!a.is_multiple_of(b)))
}

impl Conversion {
    /// The multiplier `num / den` from sender minor units to receiver minor units.
    fn minor_ratio(&self) -> Option<(u128, u128)> {
        let (mut num, mut den) = (self.rate.num, self.rate.den);
        if self.to_scale >= self.from_scale {
            num =
                num.checked_mul(10u128.checked_pow(u32::from(self.to_scale - self.from_scale))?)?;
        } else {
            den =
                den.checked_mul(10u128.checked_pow(u32::from(self.from_scale - self.to_scale))?)?;
        }
        Some((num, den))
    }

    /// The fee (rounded up) on a debit.
    pub(crate) fn fee(&self, debit: u64) -> Option<u64> {
        let fee = ceil_div(
            u128::from(debit).checked_mul(u128::from(self.fee_basis_points))?,
            BASIS,
        )?;
        u64::try_from(fee).ok()
    }

    /// What the receiver gets for `debit` (fee taken off, converted, rounded down).
    pub(crate) fn receive_for_debit(&self, debit: u64) -> Option<u64> {
        let net = debit.checked_sub(self.fee(debit)?)?;
        let (num, den) = self.minor_ratio()?;
        u64::try_from(u128::from(net).checked_mul(num)? / den).ok()
    }

    /// The smallest debit for which [`Self::receive_for_debit`] is at least `receive`.
    pub(crate) fn debit_for_receive(&self, receive: u64) -> Option<u64> {
        let (num, den) = self.minor_ratio()?;
        // Smallest net amount that converts to at least `receive`.
        let net = ceil_div(u128::from(receive).checked_mul(den)?, num)?;
        let keep = BASIS.checked_sub(u128::from(self.fee_basis_points))?;
        let mut debit = u64::try_from(ceil_div(net.checked_mul(BASIS)?, keep)?).ok()?;
        // The fee is rounded up, so the estimate may be a unit or two short.
        for _ in 0..4 {
            if self.receive_for_debit(debit)? >= receive {
                return Some(debit);
            }
            debit = debit.checked_add(1)?;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd_to_eur() -> Conversion {
        Conversion {
            rate: Ratio::parse_decimal("0.9").unwrap(),
            from_scale: 2,
            to_scale: 2,
            fee_basis_points: 100,
        }
    }

    #[test]
    fn fixed_send_rounds_receive_down_and_fee_up() {
        let c = usd_to_eur();
        // 10.00 USD: fee 0.10, 9.90 * 0.9 = 8.91 EUR.
        assert_eq!(c.fee(1000), Some(10));
        assert_eq!(c.receive_for_debit(1000), Some(891));
        // 0.01 USD: fee rounds up to 0.01, nothing left.
        assert_eq!(c.receive_for_debit(1), Some(0));
    }

    #[test]
    fn fixed_receive_is_the_smallest_sufficient_debit() {
        let c = usd_to_eur();
        for receive in [1u64, 7, 891, 1000, 12_345, 999_999] {
            let debit = c.debit_for_receive(receive).unwrap();
            assert!(c.receive_for_debit(debit).unwrap() >= receive);
            assert!(c.receive_for_debit(debit - 1).unwrap() < receive);
        }
        let scaled = Conversion {
            rate: Ratio::parse_decimal("0.0004").unwrap(),
            from_scale: 2,
            to_scale: 9,
            fee_basis_points: 100,
        };
        let debit = scaled.debit_for_receive(1_000_000_000).unwrap();
        assert!(scaled.receive_for_debit(debit).unwrap() >= 1_000_000_000);
        assert!(scaled.receive_for_debit(debit - 1).unwrap() < 1_000_000_000);
        assert_eq!(Ratio::parse_decimal("0"), None);
        assert_eq!(Ratio::parse_decimal("-1"), None);
    }
}
