//! Unit families and conversions: which measures are of one kind (length, mass, area, volume,
//! time, data size, energy, power, temperature, speed) and how each converts to its family's
//! base unit, so that "10,000 kg" and "10 tonnes" are one figure and "three days" against
//! "three hours" is a difference of unit. Units not listed stay a family of their own.

/// What a measure measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    Length,
    Mass,
    Area,
    Volume,
    Time,
    Data,
    Energy,
    Power,
    Temperature,
    Speed,
}

/// Each unit's family and its size in the family's base unit (metre, kilogram, square metre,
/// litre, second, byte, watt-hour, watt, kilometre per hour). Temperatures are converted by
/// [`to_base`], not by a factor.
const UNITS: &[(&str, Dimension, f64)] = &[
    ("nanometre", Dimension::Length, 1e-9),
    ("micrometre", Dimension::Length, 1e-6),
    ("millimetre", Dimension::Length, 1e-3),
    ("centimetre", Dimension::Length, 1e-2),
    ("metre", Dimension::Length, 1.0),
    ("kilometre", Dimension::Length, 1e3),
    ("inch", Dimension::Length, 0.0254),
    ("foot", Dimension::Length, 0.3048),
    ("yard", Dimension::Length, 0.9144),
    ("mile", Dimension::Length, 1609.344),
    ("nautical-mile", Dimension::Length, 1852.0),
    ("gram", Dimension::Mass, 1e-3),
    ("kilogram", Dimension::Mass, 1.0),
    ("tonne", Dimension::Mass, 1e3),
    ("megatonne", Dimension::Mass, 1e9),
    ("gigatonne", Dimension::Mass, 1e12),
    ("pound", Dimension::Mass, 0.453_592_37),
    ("ounce", Dimension::Mass, 0.028_349_523_125),
    ("square-metre", Dimension::Area, 1.0),
    ("square-kilometre", Dimension::Area, 1e6),
    ("square-foot", Dimension::Area, 0.092_903_04),
    ("square-mile", Dimension::Area, 2_589_988.110_336),
    ("hectare", Dimension::Area, 1e4),
    ("acre", Dimension::Area, 4046.856_422_4),
    ("cubic-centimetre", Dimension::Volume, 1e-3),
    ("millilitre", Dimension::Volume, 1e-3),
    ("litre", Dimension::Volume, 1.0),
    ("cubic-metre", Dimension::Volume, 1e3),
    ("gallon", Dimension::Volume, 3.785_411_784),
    ("pint", Dimension::Volume, 0.473_176_473),
    ("quart", Dimension::Volume, 0.946_352_946),
    ("nanosecond", Dimension::Time, 1e-9),
    ("microsecond", Dimension::Time, 1e-6),
    ("millisecond", Dimension::Time, 1e-3),
    ("second", Dimension::Time, 1.0),
    ("minute", Dimension::Time, 60.0),
    ("hour", Dimension::Time, 3600.0),
    ("day", Dimension::Time, 86_400.0),
    ("week", Dimension::Time, 604_800.0),
    // Calendar months and years vary; their mean lengths are close enough to compare.
    ("month", Dimension::Time, 2_629_800.0),
    ("year", Dimension::Time, 31_557_600.0),
    ("decade", Dimension::Time, 315_576_000.0),
    ("century", Dimension::Time, 3_155_760_000.0),
    ("kilobyte", Dimension::Data, 1e3),
    ("megabyte", Dimension::Data, 1e6),
    ("gigabyte", Dimension::Data, 1e9),
    ("terabyte", Dimension::Data, 1e12),
    ("petabyte", Dimension::Data, 1e15),
    ("kilowatt-hour", Dimension::Energy, 1e3),
    ("megawatt-hour", Dimension::Energy, 1e6),
    ("gigawatt-hour", Dimension::Energy, 1e9),
    ("terawatt-hour", Dimension::Energy, 1e12),
    ("watt", Dimension::Power, 1.0),
    ("kilowatt", Dimension::Power, 1e3),
    ("megawatt", Dimension::Power, 1e6),
    ("gigawatt", Dimension::Power, 1e9),
    ("degree-celsius", Dimension::Temperature, 1.0),
    ("degree-fahrenheit", Dimension::Temperature, 1.0),
    ("kilometre-per-hour", Dimension::Speed, 1.0),
    ("mile-per-hour", Dimension::Speed, 1.609_344),
    ("metre-per-second", Dimension::Speed, 3.6),
];

/// The family of a measure unit, if it has one.
pub fn dimension(unit: &str) -> Option<Dimension> {
    UNITS.iter().find(|(name, _, _)| *name == unit).map(|(_, d, _)| *d)
}

/// `value` in `unit` expressed in its family's base unit (Celsius for temperatures).
pub fn to_base(value: f64, unit: &str) -> Option<f64> {
    if unit == "degree-fahrenheit" {
        return Some((value - 32.0) * 5.0 / 9.0);
    }
    UNITS.iter().find(|(name, _, _)| *name == unit).map(|(_, _, factor)| value * factor)
}

/// Relative difference within which a converted figure is the source's, rounded by the writer:
/// "54 kilometres" for "34 miles" (54.7 km), "10 tonnes" for "22,000 pounds" (9.98 t).
pub const CONVERSION_TOLERANCE: f64 = 0.02;

/// `value` in unit `from` expressed in unit `to`, when both are of one known kind.
pub fn convert(value: f64, from: &str, to: &str) -> Option<f64> {
    if dimension(from).is_none() || dimension(from) != dimension(to) {
        return None;
    }
    // From the base unit back to `to` by its two points, which also undoes an offset
    // (Fahrenheit).
    let (zero, one) = (to_base(0.0, to)?, to_base(1.0, to)?);
    Some((to_base(value, from)? - zero) / (one - zero))
}

/// Whether two amounts, the first converted into the second's unit, agree within
/// [`CONVERSION_TOLERANCE`].
pub fn near(converted: f64, other: f64) -> bool {
    let scale = converted.abs().max(other.abs());
    scale == 0.0 || (converted - other).abs() <= CONVERSION_TOLERANCE * scale
}

/// Whether `a` in `unit_a` and `b` in `unit_b`, two units of one family, are one amount within
/// [`CONVERSION_TOLERANCE`].
pub fn converts_to(a: f64, unit_a: &str, b: f64, unit_b: &str) -> bool {
    convert(a, unit_a, unit_b).is_some_and(|a| near(a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_convert_within_a_family_and_never_across() {
        let cases = [
            (10_000.0, "kilogram", 10.0, "tonne", true),
            (54.0, "kilometre", 34.0, "mile", true),
            (10_000.0, "kilogram", 10_000.0, "tonne", false),
            (3.0, "day", 3.0, "hour", false),
            (72.0, "hour", 3.0, "day", true),
            (100.0, "degree-celsius", 212.0, "degree-fahrenheit", true),
            (1.0, "square-kilometre", 100.0, "hectare", true),
            (2.0, "terabyte", 2000.0, "gigabyte", true),
            (5.0, "kilometre", 5.0, "kilogram", false),
            (5.0, "widget", 5.0, "widget", false),
        ];
        for (a, ua, b, ub, same) in cases {
            assert_eq!(converts_to(a, ua, b, ub), same, "{a} {ua} vs {b} {ub}");
        }
        assert_eq!(dimension("hour"), dimension("day"));
        assert_ne!(dimension("hour"), dimension("metre"));
    }
}
