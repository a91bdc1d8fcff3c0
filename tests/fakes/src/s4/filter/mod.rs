//! The `$filter` subset the adapter uses
//! ([OData v2 URI conventions §4.5](https://www.odata.org/documentation/odata-version-2-0/uri-conventions/#FilterSystemQueryOption)):
//! `eq ne gt ge lt le`, `and or not`, parentheses; literals `'…'` (with
//! `''` for a quote), `guid'…'`, `datetime'…'`, `datetimeoffset'…'`,
//! integers, `true`, `false`, `null`. Anything else (functions, arithmetic,
//! navigation paths) is refused with an error that names the position, as
//! Gateway's "Invalid token detected at position …" does — never a panic.

mod lexer;

use lexer::{Lexer, Token, invalid};

use super::edm::{EdmType, EntitySet};
use super::value::{Value, alpha};

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `eq`
    Eq,
    /// `ne`
    Ne,
    /// `gt`
    Gt,
    /// `ge`
    Ge,
    /// `lt`
    Lt,
    /// `le`
    Le,
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// A property of the entity, by index.
    Property(usize),
    /// A literal.
    Literal(Value),
}

/// A parsed filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// Both.
    And(Box<Filter>, Box<Filter>),
    /// Either.
    Or(Box<Filter>, Box<Filter>),
    /// Negation.
    Not(Box<Filter>),
    /// A comparison; the flag folds case (the partner search's e-mail).
    Compare(Operand, Op, Operand, bool),
    /// A Boolean operand on its own (`AllDay`, `true`).
    Truth(Operand),
}

/// Properties holding business partner numbers: Gateway applies the ALPHA
/// conversion exit to their literals, so `'4711'` finds `0000004711`.
const PARTNER_NUMBERS: &[&str] = &[
    "Account",
    "Contact",
    "Responsible",
    "PartnerNo",
    "AccountId",
    "ContactId",
    "ResponsibleId",
    "accountID",
    "contactID",
    "employeeID",
    "Partner1",
    "Partner2",
    "EmployeeBP",
];

/// Whether a property holds a partner number.
pub fn is_partner_number(name: &str) -> bool {
    PARTNER_NUMBERS.contains(&name)
}

/// The values a row offers to a filter: a property may have more than one
/// (an appointment's `Responsible` also matches its attendees).
pub trait Candidates {
    /// Whether any value of property `index` passes `test`.
    fn any(&self, index: usize, test: &mut dyn FnMut(&Value) -> bool) -> bool;
}

struct Parser<'s> {
    tokens: Vec<(usize, Token)>,
    at: usize,
    set: &'s EntitySet,
    len: usize,
    depth: usize,
}

/// Deeper nesting is refused: the parser recurses, and a hostile
/// `((((…` must not overflow the stack.
const MAX_DEPTH: usize = 64;

impl Parser<'_> {
    fn peek_word(&self) -> Option<&str> {
        match self.tokens.get(self.at) {
            Some((_, Token::Word(w))) => Some(w),
            _ => None,
        }
    }
    fn pos(&self) -> usize {
        self.tokens
            .get(self.at)
            .map(|(p, _)| *p)
            .unwrap_or(self.len)
    }

    fn or(&mut self) -> Result<Filter, String> {
        let mut left = self.and()?;
        while self.peek_word() == Some("or") {
            self.at += 1;
            left = Filter::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, String> {
        let mut left = self.unary()?;
        while self.peek_word() == Some("and") {
            self.at += 1;
            left = Filter::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Filter, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(invalid(
                self.pos(),
                &format!("expression nested deeper than {MAX_DEPTH} levels"),
            ));
        }
        let result = self.unary_inner();
        self.depth -= 1;
        result
    }

    fn unary_inner(&mut self) -> Result<Filter, String> {
        if self.peek_word() == Some("not") {
            self.at += 1;
            return Ok(Filter::Not(Box::new(self.unary()?)));
        }
        if matches!(self.tokens.get(self.at), Some((_, Token::Open))) {
            self.at += 1;
            let inner = self.or()?;
            return match self.tokens.get(self.at) {
                Some((_, Token::Close)) => {
                    self.at += 1;
                    Ok(inner)
                }
                _ => Err(invalid(self.pos(), "expected ')'")),
            };
        }
        let left = self.operand()?;
        let op = match self.peek_word() {
            Some("eq") => Op::Eq,
            Some("ne") => Op::Ne,
            Some("gt") => Op::Gt,
            Some("ge") => Op::Ge,
            Some("lt") => Op::Lt,
            Some("le") => Op::Le,
            Some(other @ ("add" | "sub" | "mul" | "div" | "mod")) => {
                return Err(invalid(
                    self.pos(),
                    &format!("arithmetic operator '{other}' is not supported"),
                ));
            }
            _ => return Ok(Filter::Truth(left)),
        };
        self.at += 1;
        let right = self.operand()?;
        self.check_types(&left, op, &right)?;
        let fold = self.folds_case(&left) || self.folds_case(&right);
        let normalised_left = self.normalise(&right, left.clone(), fold);
        let right = self.normalise(&left, right, fold);
        Ok(Filter::Compare(normalised_left, op, right, fold))
    }

    fn folds_case(&self, o: &Operand) -> bool {
        matches!(o, Operand::Property(i) if self.set.name == "PartnerAddressSet" && self.set.properties[*i].name == "EmailAddress")
    }

    /// Converts a literal compared with `other` as Gateway's conversion
    /// exits would: ALPHA for partner numbers, lower case when folding.
    fn normalise(&self, other: &Operand, o: Operand, fold: bool) -> Operand {
        match (other, o) {
            (Operand::Property(i), Operand::Literal(Value::Text(t))) => {
                let t = if is_partner_number(self.set.properties[*i].name) {
                    alpha(&t)
                } else {
                    t
                };
                Operand::Literal(Value::Text(if fold { t.to_lowercase() } else { t }))
            }
            (_, o) => o,
        }
    }

    fn operand(&mut self) -> Result<Operand, String> {
        let pos = self.pos();
        let Some((_, token)) = self.tokens.get(self.at).cloned() else {
            return Err(invalid(pos, "expression ends too early"));
        };
        self.at += 1;
        match token {
            Token::Lit(v) => Ok(Operand::Literal(v)),
            Token::Word(w) => {
                if matches!(self.tokens.get(self.at), Some((_, Token::Open))) {
                    return Err(invalid(pos, &format!("function '{w}' is not supported")));
                }
                self.set.index(&w).map(Operand::Property).ok_or_else(|| {
                    format!(
                        "Property '{w}' not found in type '{}' (position {})",
                        self.set.type_name,
                        pos + 1
                    )
                })
            }
            Token::Open | Token::Close | Token::Comma => {
                Err(invalid(pos, "expected a property or a literal"))
            }
        }
    }

    fn check_types(&self, left: &Operand, op: Op, right: &Operand) -> Result<(), String> {
        let ((Operand::Property(i), Operand::Literal(v))
        | (Operand::Literal(v), Operand::Property(i))) = (left, right)
        else {
            return Ok(());
        };
        let p = &self.set.properties[*i];
        let fits = matches!(
            (p.ty, v),
            (_, Value::Null)
                | (EdmType::String, Value::Text(_))
                | (EdmType::Guid, Value::Guid(_))
                | (EdmType::Boolean, Value::Bool(_))
                | (EdmType::Int32, Value::Int(_))
                | (
                    EdmType::DateTime | EdmType::DateTimeOffset,
                    Value::DateTime(_) | Value::DateTimeOffset(_)
                )
        );
        if fits {
            Ok(())
        } else {
            Err(format!(
                "Operator '{}' incompatible with operand types {} ('{}') and literal {}",
                format!("{op:?}").to_lowercase(),
                p.ty.edm_name(),
                p.name,
                v.to_literal()
            ))
        }
    }
}

impl Filter {
    /// Parses `text` against the properties of `set`.
    pub fn parse(text: &str, set: &EntitySet) -> Result<Filter, String> {
        let tokens = Lexer::tokens(text)?;
        let len = text.len();
        let mut parser = Parser {
            tokens,
            at: 0,
            depth: 0,
            set,
            len,
        };
        let filter = parser.or()?;
        if parser.at < parser.tokens.len() {
            return Err(invalid(
                parser.pos(),
                "unexpected text after the expression",
            ));
        }
        Ok(filter)
    }

    /// The value that property `index` must equal for the filter to hold,
    /// when one of its top-level conjuncts says so (for using an index).
    pub fn required_eq(&self, index: usize) -> Option<&Value> {
        match self {
            Filter::And(a, b) => a.required_eq(index).or_else(|| b.required_eq(index)),
            Filter::Compare(Operand::Property(i), Op::Eq, Operand::Literal(v), false)
            | Filter::Compare(Operand::Literal(v), Op::Eq, Operand::Property(i), false)
                if *i == index =>
            {
                Some(v)
            }
            _ => None,
        }
    }

    /// Whether `row` passes.
    pub fn matches(&self, row: &dyn Candidates) -> bool {
        match self {
            Filter::And(a, b) => a.matches(row) && b.matches(row),
            Filter::Or(a, b) => a.matches(row) || b.matches(row),
            Filter::Not(a) => !a.matches(row),
            Filter::Truth(Operand::Property(i)) => row.any(*i, &mut |v| *v == Value::Bool(true)),
            Filter::Truth(Operand::Literal(v)) => *v == Value::Bool(true),
            Filter::Compare(l, op, r, fold) => {
                // "ne" holds when no candidate is equal.
                let positive = if *op == Op::Ne { Op::Eq } else { *op };
                let test = |a: &Value, b: &Value| holds(a, b, positive, *fold);
                let hit = match (l, r) {
                    (Operand::Property(i), Operand::Literal(v)) => row.any(*i, &mut |a| test(a, v)),
                    (Operand::Literal(v), Operand::Property(i)) => row.any(*i, &mut |b| test(v, b)),
                    (Operand::Property(i), Operand::Property(j)) => {
                        row.any(*i, &mut |a| row.any(*j, &mut |b| test(a, b)))
                    }
                    (Operand::Literal(a), Operand::Literal(b)) => test(a, b),
                };
                if *op == Op::Ne { !hit } else { hit }
            }
        }
    }
}

fn holds(a: &Value, b: &Value, op: Op, fold: bool) -> bool {
    let order = match (a, b) {
        (Value::Text(x), Value::Text(y)) if fold => Some(x.to_lowercase().cmp(&y.to_lowercase())),
        _ => compare(a, b),
    };
    order.is_some_and(|o| match op {
        Op::Eq | Op::Ne => o.is_eq(),
        Op::Gt => o.is_gt(),
        Op::Ge => o.is_ge(),
        Op::Lt => o.is_lt(),
        Op::Le => o.is_le(),
    })
}

/// Orders two values of compatible types; `None` when they cannot be
/// compared (null against a value compares unequal).
pub fn compare(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    use Value::*;
    match (a, b) {
        (Null, Null) => Some(std::cmp::Ordering::Equal),
        (Text(x), Text(y)) => Some(x.cmp(y)),
        (Guid(x), Guid(y)) => Some(x.cmp(y)),
        (Bool(x), Bool(y)) => Some(x.cmp(y)),
        (Int(x), Int(y)) => Some(x.cmp(y)),
        (DateTime(x) | DateTimeOffset(x), DateTime(y) | DateTimeOffset(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::s4::edm::ServiceId;

    struct R(Vec<Value>, Vec<(usize, Value)>);
    impl Candidates for R {
        fn any(&self, i: usize, test: &mut dyn FnMut(&Value) -> bool) -> bool {
            test(&self.0[i]) || self.1.iter().any(|(j, v)| *j == i && test(v))
        }
    }

    fn appointments() -> &'static EntitySet {
        ServiceId::Appointments
            .service()
            .set("AppointmentSet")
            .unwrap()
    }

    fn row(description: &str, responsible: &str, from: &str) -> R {
        let set = appointments();
        let mut values: Vec<Value> = set
            .properties
            .iter()
            .map(|p| Value::initial(p.ty))
            .collect();
        values[set.index("Description").unwrap()] = Value::Text(description.into());
        values[set.index("Responsible").unwrap()] = Value::Text(responsible.into());
        values[set.index("FromDate").unwrap()] =
            Value::DateTime(crate::s4::value::parse_iso(from).unwrap());
        values[set.index("AllDay").unwrap()] = Value::Bool(true);
        R(
            values,
            vec![(
                set.index("Responsible").unwrap(),
                Value::Text("0000004712".into()),
            )],
        )
    }

    fn check(filter: &str, r: &R) -> bool {
        Filter::parse(filter, appointments()).unwrap().matches(r)
    }

    #[test]
    fn comparisons_logic_and_parentheses() {
        let r = row("O'Neil visit", "0000004711", "2026-12-01T09:00:00");
        assert!(check("Description eq 'O''Neil visit'", &r));
        assert!(!check("Description eq 'O''Neil'", &r));
        assert!(check(
            "Responsible eq '4711' and FromDate ge datetime'2026-12-01T00:00:00'",
            &r
        ));
        assert!(!check("FromDate lt datetime'2026-12-01T09:00'", &r));
        assert!(check(
            "FromDate le datetimeoffset'2026-12-01T10:00:00+01:00'",
            &r
        ));
        assert!(check(
            "(Description eq 'x' or Responsible eq '0000004711') and not (Location ne '')",
            &r
        ));
        assert!(check("AllDay and AllDay eq true", &r));
        assert!(check("Guid eq null", &r));
    }

    #[test]
    fn extra_candidates_match_eq_but_block_ne() {
        let r = row("x", "0000004711", "2026-12-01T09:00:00");
        assert!(check("Responsible eq '4712'", &r));
        assert!(!check("Responsible ne '4712'", &r));
        assert!(!check("Responsible eq '4713'", &r));
    }

    #[test]
    fn unsupported_syntax_is_an_error_not_a_panic() {
        let set = appointments();
        for (text, needle) in [
            ("substringof('a', Description)", "function 'substringof'"),
            ("Description eq 'open", "closing quote"),
            ("Nope eq 1", "Property 'Nope' not found"),
            ("Description eq", "ends too early"),
            ("Description = 'a'", "position 13"),
            ("(Description eq 'a'", "expected ')'"),
            ("Guid eq 'abc'", "incompatible"),
            ("FromDate eq time'PT1H'", "unsupported literal"),
            ("Description eq 'a' 'b'", "unexpected text"),
            ("ä", "unexpected character"),
            ("FromDate add 1", "arithmetic"),
            ("", "ends too early"),
        ] {
            let err = Filter::parse(text, set).unwrap_err();
            assert!(err.contains(needle), "{text}: {err}");
        }
        for hostile in ["(".repeat(100_000), "not ".repeat(100_000)] {
            let err = Filter::parse(&hostile, set).unwrap_err();
            assert!(err.contains("nested deeper than 64"), "{err}");
        }
    }
}
