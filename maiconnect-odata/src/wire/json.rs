//! The OData v2 JSON envelope: `{"d": …}` around an entity or a collection,
//! `__metadata`, `__next`, `__count`, `__deferred` and expanded navigation
//! properties.
//!
//! Reference: OData Version 2.0, "JSON Format", §2.2.6.3.1 (entity
//! metadata), §2.2.6.3.3 (collections: `results`, `__count`, `__next`),
//! §2.2.6.3.9 (deferred content).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::error::ODataError;

/// `__metadata` of an entity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct EntityMeta<'a> {
    /// The entity's URI.
    #[serde(default, borrow)]
    pub uri: Option<Cow<'a, str>>,
    /// The entity type, `NS.Type`.
    #[serde(default, borrow, rename = "type")]
    pub type_name: Option<Cow<'a, str>>,
    /// The ETag.
    #[serde(default, borrow)]
    pub etag: Option<Cow<'a, str>>,
    /// The media resource link, for media entities.
    #[serde(default, borrow)]
    pub media_src: Option<Cow<'a, str>>,
}

/// `{"d": T}`.
#[derive(Debug, Deserialize)]
pub struct Envelope<T> {
    /// The payload.
    pub d: T,
}

/// A collection: `{"results": [...], "__count": "n", "__next": "url"}`, or a
/// bare array (OData v1 style, still sent by some services).
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The entities of this page.
    pub results: Vec<T>,
    /// The server's next-page link.
    pub next: Option<String>,
    /// `$inlinecount` (sent as a string).
    pub count: Option<u64>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Page<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a collection {\"results\": [...]} or an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Page<T>, A::Error> {
                let results = Vec::<T>::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(Page {
                    results,
                    next: None,
                    count: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Page<T>, A::Error> {
                let mut page = Page {
                    results: Vec::new(),
                    next: None,
                    count: None,
                };
                let mut seen = false;
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    match key.as_ref() {
                        "results" => {
                            page.results = map.next_value()?;
                            seen = true;
                        }
                        "__next" => page.next = map.next_value()?,
                        "__count" => page.count = map.next_value::<Count>()?.0,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                if !seen {
                    return Err(de::Error::custom("a collection needs \"results\""));
                }
                Ok(page)
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// `__count`: a string by the spec, a number from some servers.
struct Count(Option<u64>);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => s
                .parse()
                .map(|n| Count(Some(n)))
                .map_err(|_| de::Error::custom(format!("__count {s:?} is not a number"))),
            serde_json::Value::Number(n) => Ok(Count(n.as_u64())),
            serde_json::Value::Null => Ok(Count(None)),
            _ => Err(de::Error::custom("__count is not a number")),
        }
    }
}

/// A navigation property: deferred (not expanded) or expanded to entities.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Nav<T> {
    /// `{"__deferred": {"uri": …}}`: not read.
    #[default]
    Deferred,
    /// Expanded: a collection, a single entity or `null`.
    Loaded(Vec<T>),
}

impl<T> Nav<T> {
    /// The expanded entities, `None` when deferred.
    pub fn loaded(self) -> Option<Vec<T>> {
        match self {
            Nav::Deferred => None,
            Nav::Loaded(v) => Some(v),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nav<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Nav<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a navigation property: __deferred, {\"results\": [...]} or an entity")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Nav<T>, E> {
                Ok(Nav::Loaded(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Nav<T>, A::Error> {
                Vec::<T>::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Nav::Loaded)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Nav<T>, A::Error> {
                // A to-many navigation is {"results": [...]}; a to-one is the
                // entity itself. Buffering only happens for the to-one case,
                // which is rare in this profile.
                let mut map = map;
                let Some(first) = map.next_key::<Cow<'de, str>>()? else {
                    return Ok(Nav::Loaded(Vec::new()));
                };
                match first.as_ref() {
                    "__deferred" => {
                        map.next_value::<IgnoredAny>()?;
                        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                        Ok(Nav::Deferred)
                    }
                    "results" => {
                        let v: Vec<T> = map.next_value()?;
                        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                        Ok(Nav::Loaded(v))
                    }
                    _ => {
                        let mut obj = serde_json::Map::new();
                        let v: serde_json::Value = map.next_value()?;
                        obj.insert(first.into_owned(), v);
                        while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
                            obj.insert(k, v);
                        }
                        let one = T::deserialize(serde_json::Value::Object(obj))
                            .map_err(de::Error::custom)?;
                        Ok(Nav::Loaded(vec![one]))
                    }
                }
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// Reads `{"d": T}` from a body, naming the JSON path of the first error.
pub fn parse_entity<'a, T: Deserialize<'a>>(
    body: &'a [u8],
    context: &str,
) -> Result<T, ODataError> {
    serde_json::from_slice::<Envelope<T>>(body)
        .map(|e| e.d)
        .map_err(|e| json_error(context, &e))
}

/// Reads `{"d": {"results": [...]}}` (or `{"d": [...]}`).
pub fn parse_page<'a, T: Deserialize<'a>>(
    body: &'a [u8],
    context: &str,
) -> Result<Page<T>, ODataError> {
    parse_entity::<Page<T>>(body, context)
}

/// Reads an owned value (for callers that keep the result beyond the body).
pub fn parse_owned<T: DeserializeOwned>(body: &[u8], context: &str) -> Result<T, ODataError> {
    serde_json::from_slice::<Envelope<T>>(body)
        .map(|e| e.d)
        .map_err(|e| json_error(context, &e))
}

fn json_error(context: &str, e: &serde_json::Error) -> ODataError {
    ODataError::Json {
        context: context.to_owned(),
        detail: format!("{e} (line {}, column {})", e.line(), e.column()),
    }
}

/// A string property that may be `null` or missing: read as "".
pub fn text<'a>(v: &'a Option<Cow<'_, str>>) -> &'a str {
    v.as_deref().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Row<'a> {
        #[serde(rename = "Sensor", borrow)]
        sensor: Cow<'a, str>,
    }

    #[test]
    fn reads_count_and_next_from_the_pyodata_sample() {
        let body = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/reference/odata/samples/pyodata_v2_paging_count_next.json"
        ))
        .unwrap();
        let page: Page<Row<'_>> = parse_page(&body, "test").unwrap();
        assert_eq!(page.count, Some(50));
        assert_eq!(page.results.len(), 2);
        assert_eq!(page.results[1].sensor, "sensor4");
        assert_eq!(
            page.next.as_deref(),
            Some(
                "https://example.com/sap/opu/odata/sap/EXAMPLE_SRV/get_best_measurements?$skiptoken=2"
            )
        );
    }

    #[test]
    fn reads_bare_arrays_and_navigation_forms() {
        let page: Page<Row<'_>> = parse_page(br#"{"d":[{"Sensor":"a"}]}"#, "t").unwrap();
        assert_eq!(page.results, vec![Row { sensor: "a".into() }]);
        let n: Nav<Row<'_>> = serde_json::from_str(r#"{"__deferred":{"uri":"x"}}"#).unwrap();
        assert_eq!(n, Nav::Deferred);
        let n: Nav<Row<'_>> = serde_json::from_str(r#"{"results":[{"Sensor":"b"}]}"#).unwrap();
        assert_eq!(n.loaded().unwrap().len(), 1);
        let n: Nav<Row<'static>> = serde_json::from_str(r#"{"Sensor":"c","X":1}"#).unwrap();
        assert_eq!(n.loaded().unwrap()[0].sensor, "c");
        let n: Nav<Row<'_>> = serde_json::from_str("null").unwrap();
        assert_eq!(n, Nav::Loaded(vec![]));
    }

    #[test]
    fn errors_name_the_place() {
        let e = parse_page::<Row<'_>>(br#"{"d":{"results":[{"Sensor":5}]}}"#, "GET Sensors")
            .unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("GET Sensors") && text.contains("column"),
            "{text}"
        );
        let e =
            parse_page::<Row<'_>>(br#"{"d":{"__count":"x","results":[]}}"#, "GET S").unwrap_err();
        assert!(e.to_string().contains("__count"), "{e}");
        assert!(parse_page::<Row<'_>>(br#"{"d":{"value":[]}}"#, "GET S").is_err());
    }
}
