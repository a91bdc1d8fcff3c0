//! `$filter` expressions, built as a tree so that values are always
//! literals and can never change the expression's structure.
//!
//! Reference: OData Version 2.0, URI Conventions, §4.5 (Filter System Query
//! Option).

use std::fmt;

use crate::wire::literal::Literal;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
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

impl CmpOp {
    /// The operator's keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            CmpOp::Eq => "eq",
            CmpOp::Ne => "ne",
            CmpOp::Gt => "gt",
            CmpOp::Ge => "ge",
            CmpOp::Lt => "lt",
            CmpOp::Le => "le",
        }
    }
}

/// A `$filter` expression. Property names are `&'static str` on purpose:
/// they come from the service profile, never from data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// `Property op literal`.
    Cmp(&'static str, CmpOp, Literal),
    /// All of them.
    And(Vec<Filter>),
    /// Any of them.
    Or(Vec<Filter>),
    /// `not (…)`.
    Not(Box<Filter>),
}

impl Filter {
    /// `property eq value`.
    pub fn eq(property: &'static str, value: Literal) -> Filter {
        Filter::Cmp(property, CmpOp::Eq, value)
    }
    /// `property ge value`.
    pub fn ge(property: &'static str, value: Literal) -> Filter {
        Filter::Cmp(property, CmpOp::Ge, value)
    }
    /// `property lt value`.
    pub fn lt(property: &'static str, value: Literal) -> Filter {
        Filter::Cmp(property, CmpOp::Lt, value)
    }
    /// Both.
    pub fn and(self, other: Filter) -> Filter {
        match self {
            Filter::And(mut v) => {
                v.push(other);
                Filter::And(v)
            }
            s => Filter::And(vec![s, other]),
        }
    }
    /// Either.
    pub fn or(self, other: Filter) -> Filter {
        match self {
            Filter::Or(mut v) => {
                v.push(other);
                Filter::Or(v)
            }
            s => Filter::Or(vec![s, other]),
        }
    }

    fn write_operand(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Filter::Cmp(..) | Filter::Not(_) => write!(f, "{self}"),
            _ => write!(f, "({self})"),
        }
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Filter::Cmp(p, op, v) => write!(f, "{p} {} {v}", op.keyword()),
            Filter::And(v) | Filter::Or(v) => {
                let word = if matches!(self, Filter::And(_)) {
                    " and "
                } else {
                    " or "
                };
                for (i, x) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(word)?;
                    }
                    x.write_operand(f)?;
                }
                Ok(())
            }
            Filter::Not(x) => {
                f.write_str("not ")?;
                write!(f, "({x})")
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::wire::literal::{parse_literal, read_quoted};
    use proptest::prelude::*;

    /// A small parser of the filter grammar this module writes, so that tests
    /// can check that the written text means exactly the tree.
    pub(crate) fn parse(s: &str) -> Result<Filter, String> {
        let mut p = Parser { rest: s };
        let f = p.or_expr()?;
        if !p.rest.is_empty() {
            return Err(format!("trailing text {:?}", p.rest));
        }
        Ok(f)
    }

    struct Parser<'a> {
        rest: &'a str,
    }

    const PROPS: &[&str] = &[
        "Name",
        "Responsible",
        "ToDate",
        "FromDate",
        "EmailAddress",
        "Partner1",
        "Partner2",
    ];

    impl Parser<'_> {
        fn eat(&mut self, t: &str) -> bool {
            if let Some(r) = self.rest.strip_prefix(t) {
                self.rest = r;
                true
            } else {
                false
            }
        }
        fn or_expr(&mut self) -> Result<Filter, String> {
            let mut v = vec![self.and_expr()?];
            while self.eat(" or ") {
                v.push(self.and_expr()?);
            }
            Ok(if v.len() == 1 {
                v.remove(0)
            } else {
                Filter::Or(v)
            })
        }
        fn and_expr(&mut self) -> Result<Filter, String> {
            let mut v = vec![self.unary()?];
            while self.eat(" and ") {
                v.push(self.unary()?);
            }
            Ok(if v.len() == 1 {
                v.remove(0)
            } else {
                Filter::And(v)
            })
        }
        fn unary(&mut self) -> Result<Filter, String> {
            if self.eat("not (") {
                let x = self.or_expr()?;
                return if self.eat(")") {
                    Ok(Filter::Not(Box::new(x)))
                } else {
                    Err("no )".into())
                };
            }
            if self.eat("(") {
                let x = self.or_expr()?;
                return if self.eat(")") {
                    Ok(x)
                } else {
                    Err("no )".into())
                };
            }
            let prop = PROPS
                .iter()
                .find(|p| self.rest.starts_with(*p))
                .ok_or_else(|| format!("no property at {:?}", self.rest))?;
            self.rest = &self.rest[prop.len()..];
            let op = [
                CmpOp::Eq,
                CmpOp::Ne,
                CmpOp::Gt,
                CmpOp::Ge,
                CmpOp::Lt,
                CmpOp::Le,
            ]
            .into_iter()
            .find(|o| self.rest.starts_with(&format!(" {} ", o.keyword())))
            .ok_or("no operator")?;
            self.rest = &self.rest[4..];
            // A literal runs to its closing quote, or to the next space or ')'.
            let len = match self.rest.find('\'') {
                Some(q) if !self.rest[..q].contains([' ', ')']) => {
                    let (_, after) = read_quoted(&self.rest[q..]).map_err(String::from)?;
                    self.rest.len() - after.len()
                }
                _ => self.rest.find([' ', ')']).unwrap_or(self.rest.len()),
            };
            let lit = parse_literal(&self.rest[..len]).map_err(String::from)?;
            self.rest = &self.rest[len..];
            Ok(Filter::Cmp(prop, op, lit))
        }
    }

    #[test]
    fn writes_the_profile_listing_filter() {
        let from = chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let f = Filter::eq("Responsible", Literal::string("0000004711"))
            .and(Filter::ge("ToDate", Literal::DateTime(from)))
            .and(Filter::lt("FromDate", Literal::DateTime(from)));
        assert_eq!(
            f.to_string(),
            "Responsible eq '0000004711' and ToDate ge datetime'2026-11-01T00:00:00' and FromDate lt datetime'2026-11-01T00:00:00'"
        );
        let g = Filter::eq("Partner1", Literal::string("1"))
            .or(Filter::eq("Partner2", Literal::string("1")));
        let h = Filter::eq("Name", Literal::Null).and(g.clone());
        assert_eq!(
            h.to_string(),
            "Name eq null and (Partner1 eq '1' or Partner2 eq '1')"
        );
        assert_eq!(parse(&h.to_string()).unwrap(), h);
        let n = Filter::Not(Box::new(g));
        assert_eq!(n.to_string(), "not (Partner1 eq '1' or Partner2 eq '1')");
    }

    fn leaf() -> impl Strategy<Value = Filter> {
        (prop::sample::select(PROPS), any::<String>())
            .prop_map(|(p, s)| Filter::eq(p, Literal::String(s)))
    }

    fn tree() -> impl Strategy<Value = Filter> {
        leaf().prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 2..4).prop_map(Filter::And),
                prop::collection::vec(inner.clone(), 2..4).prop_map(Filter::Or),
                inner.prop_map(|x| Filter::Not(Box::new(x))),
            ]
        })
    }

    /// Flattens nested And-in-And / Or-in-Or, which mean the same.
    fn normal(f: Filter) -> Filter {
        match f {
            Filter::And(v) => Filter::And(v.into_iter().map(normal).collect()),
            Filter::Or(v) => Filter::Or(v.into_iter().map(normal).collect()),
            Filter::Not(x) => Filter::Not(Box::new(normal(*x))),
            c => c,
        }
    }

    proptest! {
        #[test]
        fn any_string_keeps_its_meaning(s in any::<String>()) {
            // A value full of quotes, "or", parentheses or spaces stays one
            // literal: the filter still has exactly one comparison.
            let f = Filter::eq("Name", Literal::String(s.clone()))
                .and(Filter::eq("EmailAddress", Literal::String(s)));
            prop_assert_eq!(parse(&f.to_string()).unwrap(), f);
        }

        #[test]
        fn any_tree_round_trips(f in tree()) {
            let f = normal(f);
            prop_assert_eq!(parse(&f.to_string()).unwrap(), f);
        }
    }
}
