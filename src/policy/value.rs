//! Typed condition values: how IAM reads the text of a condition value, or
//! of a request context value, for each family of condition operators.
//!
//! Owns the readers of numbers, dates, booleans, base64 binaries and IP
//! networks (IAM User Guide, "IAM JSON policy elements: Condition
//! operators"). Hands on [`TypedValue`] to the evaluator, which compares
//! policy values with request values, and [`parse_typed`]'s reasons to the
//! validator, which reports values that do not read.
//!
//! The readers are deliberately a little liberal where AWS documents no
//! grammar (see each function); docs/semantics.md records the choices.

use std::cmp::Ordering;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::ValueType;

/// A condition value read as the type its operator compares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypedValue {
    /// String and ARN operators compare text.
    String(String),
    Number(Decimal),
    /// Milliseconds since 1970-01-01T00:00:00Z.
    Date(i64),
    Bool(bool),
    Binary(Vec<u8>),
    Ip(IpNetwork),
    /// The operand of `Null`: `true` means "the key must be absent".
    Null(bool),
}

/// Reads `text` as a value of type `ty`. `Err` holds a lower-case reason for
/// a diagnostic, naming the text in backticks.
pub fn parse_typed(ty: ValueType, text: &str) -> Result<TypedValue, String> {
    match ty {
        ValueType::String | ValueType::Arn => Ok(TypedValue::String(text.to_string())),
        ValueType::Numeric => parse_number(text)
            .map(TypedValue::Number)
            .ok_or_else(|| format!("`{text}` is not a number")),
        ValueType::Date => parse_date(text).map(TypedValue::Date).ok_or_else(|| {
            format!(
                "`{text}` is not a date: expected ISO 8601 such as `2024-01-31` or \
                 `2024-01-31T12:00:00Z`, or epoch seconds"
            )
        }),
        ValueType::Bool => parse_bool(text)
            .map(TypedValue::Bool)
            .ok_or_else(|| format!("`{text}` is not `true` or `false`")),
        ValueType::Null => parse_bool(text)
            .map(TypedValue::Null)
            .ok_or_else(|| format!("`{text}` is not `true` or `false`")),
        ValueType::Binary => parse_base64(text)
            .map(TypedValue::Binary)
            .ok_or_else(|| format!("`{text}` is not base64")),
        ValueType::Ip => parse_ip_network(text).map(TypedValue::Ip).ok_or_else(|| {
            format!("`{text}` is not an IP address or CIDR range such as `203.0.113.0/24`")
        }),
    }
}

// ---------------------------------------------------------------- numbers

/// An exact decimal number, so that `NumericEquals` on `0.1` and `0.10`
/// agree and large integers keep every digit (a float would not).
///
/// Normalised: `digits` has no leading or trailing zeros and the value is
/// `0.d1d2d3… × 10^exponent`; zero has no digits and is never negative.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Decimal {
    negative: bool,
    digits: Vec<u8>,
    exponent: i64,
}

impl Decimal {
    pub fn zero() -> Decimal {
        Decimal {
            negative: false,
            digits: Vec::new(),
            exponent: 0,
        }
    }

    pub fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// The nearest float, for reports and heuristics (not for comparisons).
    pub fn to_f64(&self) -> f64 {
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    /// `numerator / 10^scale` when both fit, for encoders that want an exact
    /// rational.
    pub fn to_fraction(&self) -> Option<(i128, u32)> {
        let scale = (self.digits.len() as i64 - self.exponent).max(0);
        let scale = u32::try_from(scale).ok()?;
        let mut numerator: i128 = 0;
        for &d in &self.digits {
            numerator = numerator.checked_mul(10)?.checked_add(i128::from(d))?;
        }
        let trailing = self.exponent - self.digits.len() as i64;
        for _ in 0..trailing.max(0) {
            numerator = numerator.checked_mul(10)?;
        }
        Some((if self.negative { -numerator } else { numerator }, scale))
    }

    fn magnitude_cmp(&self, other: &Decimal) -> Ordering {
        match (self.is_zero(), other.is_zero()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            (false, false) => {}
        }
        self.exponent
            .cmp(&other.exponent)
            .then_with(|| self.digits.cmp(&other.digits))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.magnitude_cmp(other),
            (true, true) => other.magnitude_cmp(self),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_zero() {
            return f.write_str("0");
        }
        if self.negative {
            f.write_str("-")?;
        }
        let digits: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        let len = self.digits.len() as i64;
        if self.exponent <= 0 {
            write!(
                f,
                "0.{}{digits}",
                "0".repeat(self.exponent.unsigned_abs() as usize)
            )
        } else if self.exponent >= len {
            write!(f, "{digits}{}", "0".repeat((self.exponent - len) as usize))
        } else {
            let (int, frac) = digits.split_at(self.exponent as usize);
            write!(f, "{int}.{frac}")
        }
    }
}

/// Reads a number: an optional sign, decimal digits with an optional
/// fraction, and an optional exponent (`-12`, `3.25`, `.5`, `1e3`).
///
/// AWS documents integers and decimals for the numeric operators (IAM User
/// Guide, "Numeric condition operators") without a grammar; exponents are
/// accepted so that no value AWS might read is reported as wrong.
pub fn parse_number(text: &str) -> Option<Decimal> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut negative = false;
    if let Some(&sign @ (b'-' | b'+')) = bytes.first() {
        negative = sign == b'-';
        i = 1;
    }
    let mut digits: Vec<u8> = Vec::new();
    let mut int_len: i64 = 0;
    let mut seen_digit = false;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        digits.push(bytes[i] - b'0');
        int_len += 1;
        seen_digit = true;
        i += 1;
    }
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            digits.push(bytes[i] - b'0');
            seen_digit = true;
            i += 1;
        }
    }
    if !seen_digit {
        return None;
    }
    let mut exponent: i64 = 0;
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        i += 1;
        let mut exp_negative = false;
        if i < bytes.len() && (bytes[i] == b'-' || bytes[i] == b'+') {
            exp_negative = bytes[i] == b'-';
            i += 1;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            exponent = exponent
                .checked_mul(10)?
                .checked_add(i64::from(bytes[i] - b'0'))?;
            if exponent > 1_000_000 {
                return None;
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        if exp_negative {
            exponent = -exponent;
        }
    }
    if i != bytes.len() {
        return None;
    }
    // Normalise to 0.d1d2… × 10^e.
    let leading = digits.iter().take_while(|d| **d == 0).count();
    digits.drain(..leading);
    while digits.last() == Some(&0) {
        digits.pop();
    }
    if digits.is_empty() {
        return Some(Decimal::zero());
    }
    Some(Decimal {
        negative,
        digits,
        exponent: int_len - leading as i64 + exponent,
    })
}

// ---------------------------------------------------------------- booleans

/// `true` or `false`, in any ASCII case.
///
/// AWS shows lower-case values ("Boolean condition operators"); JSON
/// booleans reach here as their text. Mixed case is accepted so that no
/// value AWS might read is reported as wrong.
pub fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

// ---------------------------------------------------------------- binary

/// Standard base64 (RFC 4648 alphabet), with or without `=` padding
/// ("Binary condition operators": the value is base64-encoded).
pub fn parse_base64(text: &str) -> Option<Vec<u8>> {
    let body = text.trim_end_matches('=');
    let padding = text.len() - body.len();
    if padding > 2 || (padding > 0 && !text.len().is_multiple_of(4)) || body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for byte in body.bytes() {
        let sextet = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

// ---------------------------------------------------------------- IP

/// An IPv4 or IPv6 network: an address and a prefix length. A bare address
/// is a network of one (`/32`, `/128`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IpNetwork {
    addr: IpAddr,
    prefix: u8,
}

impl IpNetwork {
    /// `None` when the prefix is longer than the address.
    pub fn new(addr: IpAddr, prefix: u8) -> Option<IpNetwork> {
        let max = match addr {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        };
        (prefix <= max).then_some(IpNetwork { addr, prefix })
    }

    pub fn single(addr: IpAddr) -> IpNetwork {
        let prefix = match addr {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        };
        IpNetwork { addr, prefix }
    }

    /// The address as written (host bits are kept; matching ignores them).
    pub fn addr(&self) -> IpAddr {
        self.addr
    }

    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// Whether `addr` is in the network. Addresses of the other family are
    /// never in it.
    pub fn contains(&self, addr: &IpAddr) -> bool {
        match (self.addr, addr) {
            (IpAddr::V4(net), IpAddr::V4(a)) => same_prefix(
                u128::from(net.to_bits()),
                u128::from(a.to_bits()),
                32,
                self.prefix,
            ),
            (IpAddr::V6(net), IpAddr::V6(a)) => {
                same_prefix(net.to_bits(), a.to_bits(), 128, self.prefix)
            }
            _ => false,
        }
    }

    /// Whether every address of `other` is in this network.
    pub fn contains_network(&self, other: &IpNetwork) -> bool {
        other.prefix >= self.prefix && self.contains(&other.addr)
    }
}

fn same_prefix(a: u128, b: u128, width: u32, prefix: u8) -> bool {
    let host_bits = width - u32::from(prefix);
    if host_bits >= width {
        return true;
    }
    (a >> host_bits) == (b >> host_bits)
}

impl fmt::Display for IpNetwork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// An address or CIDR range, IPv4 (`203.0.113.0/24`) or IPv6
/// (`2001:DB8:1234:5678::/64`) ("IP address condition operators").
pub fn parse_ip_network(text: &str) -> Option<IpNetwork> {
    let (addr, prefix) = match text.split_once('/') {
        Some((addr, prefix)) => (addr, Some(prefix)),
        None => (text, None),
    };
    let addr: IpAddr = if addr.contains(':') {
        IpAddr::V6(addr.parse::<Ipv6Addr>().ok()?)
    } else {
        IpAddr::V4(addr.parse::<Ipv4Addr>().ok()?)
    };
    match prefix {
        None => Some(IpNetwork::single(addr)),
        Some(prefix) => {
            if prefix.is_empty() || prefix.len() > 3 || !prefix.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            IpNetwork::new(addr, prefix.parse().ok()?)
        }
    }
}

// ---------------------------------------------------------------- dates

/// Reads a date as milliseconds since the epoch (UTC).
///
/// "Date condition operators" take "one of the W3C implementations of the
/// ISO 8601 date formats" or epoch (UNIX) time. Accepted:
/// - epoch seconds: `1700000000`, `-86400`, `1700000000.5`;
/// - `YYYY-MM`, `YYYY-MM-DD` (midnight UTC);
/// - `YYYY-MM-DDThh:mm`, `…:ss`, `…:ss.fff…` followed by `Z` or an offset
///   `±hh:mm` (or `±hhmm`); a date-time without a zone is read as UTC.
///
/// A bare four-digit `YYYY` is read as epoch seconds, not as a year: AWS's
/// examples use epoch values and a year alone is not a plausible bound.
pub fn parse_date(text: &str) -> Option<i64> {
    if let Some(millis) = parse_epoch(text) {
        return Some(millis);
    }
    let mut cursor = Cursor {
        bytes: text.as_bytes(),
        at: 0,
    };
    let year = cursor.digits(4)?;
    cursor.expect(b'-')?;
    let month = cursor.digits(2)?;
    if !(1..=12).contains(&month) {
        return None;
    }
    let mut day = 1;
    let mut millis_of_day = 0;
    let mut offset_minutes = 0;
    if cursor.eat(b'-') {
        day = cursor.digits(2)?;
        if day < 1 || day > days_in_month(year, month) {
            return None;
        }
        if cursor.eat(b'T') || cursor.eat(b't') {
            let hour = cursor.digits(2)?;
            cursor.expect(b':')?;
            let minute = cursor.digits(2)?;
            let mut second = 0;
            let mut millis = 0;
            if cursor.eat(b':') {
                second = cursor.digits(2)?;
                if cursor.eat(b'.') {
                    millis = cursor.fraction_millis()?;
                }
            }
            if hour > 23 || minute > 59 || second > 59 {
                return None;
            }
            millis_of_day = ((hour * 60 + minute) * 60 + second) * 1000 + millis;
            offset_minutes = cursor.zone()?;
        }
    }
    if !cursor.done() {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(days * 86_400_000 + millis_of_day - offset_minutes * 60_000)
}

fn parse_epoch(text: &str) -> Option<i64> {
    let (int, frac) = match text.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (text, None),
    };
    let (negative, digits) = match int.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, int),
    };
    if digits.is_empty() || digits.len() > 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let seconds: i64 = digits.parse().ok()?;
    let mut millis = 0;
    if let Some(frac) = frac {
        if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        millis = frac
            .bytes()
            .chain(std::iter::repeat(b'0'))
            .take(3)
            .fold(0, |acc, b| acc * 10 + i64::from(b - b'0'));
    }
    let total = seconds * 1000 + millis;
    Some(if negative { -total } else { total })
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn digits(&mut self, count: usize) -> Option<i64> {
        let chunk = self.bytes.get(self.at..self.at + count)?;
        if !chunk.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.at += count;
        Some(
            chunk
                .iter()
                .fold(0, |acc, b| acc * 10 + i64::from(b - b'0')),
        )
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.bytes.get(self.at) == Some(&byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.eat(byte).then_some(())
    }

    fn done(&self) -> bool {
        self.at == self.bytes.len()
    }

    /// One or more fraction digits; milliseconds, the rest truncated.
    fn fraction_millis(&mut self) -> Option<i64> {
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        let digits = &self.bytes[start..self.at];
        if digits.is_empty() {
            return None;
        }
        Some(
            digits
                .iter()
                .copied()
                .chain(std::iter::repeat(b'0'))
                .take(3)
                .fold(0, |acc, b| acc * 10 + i64::from(b - b'0')),
        )
    }

    /// `Z`, `±hh:mm`, `±hhmm`, or nothing (UTC); minutes east of UTC.
    fn zone(&mut self) -> Option<i64> {
        if self.eat(b'Z') || self.eat(b'z') || self.done() {
            return Some(0);
        }
        let sign = if self.eat(b'+') {
            1
        } else if self.eat(b'-') {
            -1
        } else {
            return None;
        };
        let hours = self.digits(2)?;
        self.eat(b':');
        let minutes = self.digits(2)?;
        if hours > 23 || minutes > 59 {
            return None;
        }
        Some(sign * (hours * 60 + minutes))
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date, counting whole
/// 400-year eras from 0000-03-01 so that leap days fall at era ends.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    // IAM User Guide, "Numeric condition operators": integers and decimals.
    #[test]
    fn numbers_compare_exactly() {
        let n = |t: &str| parse_number(t).unwrap_or_else(|| panic!("`{t}` should read"));
        assert_eq!(n("0.1"), n("0.10"));
        assert_eq!(n("10"), n("1e1"));
        assert_eq!(n("-0"), n("0"));
        assert_eq!(n(".5"), n("0.5"));
        assert!(n("9007199254740993") > n("9007199254740992"));
        assert!(n("-3") < n("-2.5"));
        assert!(n("100") > n("99.999"));
        assert!(n("0.001") > n("0"));
        assert!(n("-0.001") < n("0"));
        assert_eq!(n("12.50").to_string(), "12.5");
        assert_eq!(n("1200").to_string(), "1200");
        assert_eq!(n("0.0012").to_string(), "0.0012");
        assert_eq!(n("-12.5").to_fraction(), Some((-125, 1)));
        assert_eq!(n("1200").to_fraction(), Some((1200, 0)));
        for bad in [
            "", "abc", "1.2.3", "--1", "1e", "NaN", "Infinity", " 1", "1 ", "+", ".",
        ] {
            assert_eq!(parse_number(bad), None, "`{bad}`");
        }
    }

    // IAM User Guide, "Date condition operators": W3C ISO 8601 or epoch.
    #[test]
    fn dates_read_iso_8601_and_epoch_seconds() {
        let cases: &[(&str, Option<i64>)] = &[
            ("1970-01-01T00:00:00Z", Some(0)),
            ("2020-04-01T00:00:00Z", Some(1_585_699_200_000)),
            ("2020-04-01", Some(1_585_699_200_000)),
            ("2020-04", Some(1_585_699_200_000)),
            ("2020-06-30T23:59:59Z", Some(1_593_561_599_000)),
            ("2020-06-30T23:59:59.250Z", Some(1_593_561_599_250)),
            ("2020-06-30T23:59:59.2Z", Some(1_593_561_599_200)),
            ("2020-06-30T23:59Z", Some(1_593_561_540_000)),
            ("2020-07-01T01:00:00+01:00", Some(1_593_561_600_000)),
            ("2020-06-30T19:00:00-0500", Some(1_593_561_600_000)),
            ("2020-06-30T23:59:59", Some(1_593_561_599_000)),
            ("2000-02-29", Some(951_782_400_000)),
            ("1969-12-31T23:59:59Z", Some(-1000)),
            ("1585699200", Some(1_585_699_200_000)),
            ("1585699200.5", Some(1_585_699_200_500)),
            ("2024", Some(2_024_000)),
            ("2019-02-29", None),
            ("1900-02-29", None),
            ("2020-13-01", None),
            ("2020-04-31", None),
            ("2020-04-01T24:00:00Z", None),
            ("2020-04-01T00:00:00Q", None),
            ("2020-04-01 00:00:00Z", None),
            ("yesterday", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_date(text), *expected, "`{text}`");
        }
    }

    #[test]
    fn booleans_and_base64() {
        assert_eq!(parse_bool("true"), Some(true));
        assert_eq!(parse_bool("False"), Some(false));
        assert_eq!(parse_bool("yes"), None);
        // "Binary condition operators": the documented example value.
        assert_eq!(
            parse_base64("QmluYXJ5VmFsdWVJbkJhc2U2NA=="),
            Some(b"BinaryValueInBase64".to_vec())
        );
        assert_eq!(parse_base64("aGk="), Some(b"hi".to_vec()));
        assert_eq!(parse_base64("aGk"), Some(b"hi".to_vec()));
        assert_eq!(parse_base64(""), Some(Vec::new()));
        assert_eq!(parse_base64("a"), None);
        assert_eq!(parse_base64("aGk*"), None);
        assert_eq!(parse_base64("a==="), None);
    }

    // IAM User Guide, "IP address condition operators": the
    // `203.0.113.0/24` and `2001:DB8:1234:5678::/64` examples.
    #[test]
    fn ip_networks_contain_their_addresses() {
        let net = parse_ip_network("203.0.113.0/24").expect("valid");
        assert!(net.contains(&"203.0.113.7".parse().expect("ip")));
        assert!(!net.contains(&"203.0.114.7".parse().expect("ip")));
        assert!(!net.contains(&"::1".parse().expect("ip")));
        let v6 = parse_ip_network("2001:DB8:1234:5678::/64").expect("valid");
        assert!(v6.contains(&"2001:db8:1234:5678:abcd::1".parse().expect("ip")));
        assert!(!v6.contains(&"2001:db8:1234:5679::1".parse().expect("ip")));
        let all = parse_ip_network("0.0.0.0/0").expect("valid");
        assert!(all.contains(&"8.8.8.8".parse().expect("ip")));
        let one = parse_ip_network("192.0.2.1").expect("valid");
        assert_eq!(one.prefix(), 32);
        assert!(net.contains_network(&parse_ip_network("203.0.113.128/25").expect("valid")));
        assert!(!net.contains_network(&parse_ip_network("203.0.112.0/23").expect("valid")));
        for bad in [
            "203.0.113.0/33",
            "203.0.113/24",
            "::/129",
            "1.2.3.4/",
            "1.2.3.4/+1",
            "host",
        ] {
            assert_eq!(parse_ip_network(bad), None, "`{bad}`");
        }
    }

    #[test]
    fn parse_typed_names_the_text_in_its_reason() {
        assert_eq!(
            parse_typed(ValueType::Numeric, "abc"),
            Err("`abc` is not a number".to_string())
        );
        assert_eq!(
            parse_typed(ValueType::Null, "true"),
            Ok(TypedValue::Null(true))
        );
        assert_eq!(
            parse_typed(ValueType::Arn, "arn:aws:s3:::b"),
            Ok(TypedValue::String("arn:aws:s3:::b".into()))
        );
        assert!(parse_typed(ValueType::Date, "soon").is_err_and(|e| e.starts_with("`soon`")));
        assert!(parse_typed(ValueType::Ip, "x").is_err());
        assert!(parse_typed(ValueType::Binary, "@").is_err());
        assert!(parse_typed(ValueType::Bool, "1").is_err());
    }

    proptest::proptest! {
        #[test]
        fn decimal_order_agrees_with_integers(a in -1_000_000i64..1_000_000, b in -1_000_000i64..1_000_000) {
            let da = parse_number(&a.to_string()).expect("integer");
            let db = parse_number(&b.to_string()).expect("integer");
            proptest::prop_assert_eq!(da.cmp(&db), a.cmp(&b));
            proptest::prop_assert_eq!(da.to_fraction(), Some((i128::from(a), 0)));
        }

        #[test]
        fn epoch_and_iso_agree(secs in 0i64..4_000_000_000) {
            let days = secs.div_euclid(86_400);
            let (y, m, d) = civil_from_days(days);
            let rem = secs.rem_euclid(86_400);
            let iso = format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem / 60 % 60, rem % 60);
            proptest::prop_assert_eq!(parse_date(&iso), Some(secs * 1000));
        }
    }

    /// Reference inverse of `days_from_civil`, by walking years and months.
    fn civil_from_days(mut days: i64) -> (i64, i64, i64) {
        let mut year = 1970;
        loop {
            let len = if is_leap(year) { 366 } else { 365 };
            if days < len {
                break;
            }
            days -= len;
            year += 1;
        }
        let mut month = 1;
        while days >= days_in_month(year, month) {
            days -= days_in_month(year, month);
            month += 1;
        }
        (year, month, days + 1)
    }
}
