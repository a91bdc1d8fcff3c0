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

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde::{Deserialize, Deserializer};

use crate::error::ODataError;

/// `__metadata` of an entity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct EntityMeta<'a> {
    /// The entity's URI.
    #[serde(default, borrow)]
    pub uri: Option<Text<'a>>,
    /// The entity type, `NS.Type`.
    #[serde(default, borrow, rename = "type")]
    pub type_name: Option<Text<'a>>,
    /// The ETag.
    #[serde(default, borrow)]
    pub etag: Option<Text<'a>>,
    /// The media resource link, for media entities.
    #[serde(default, borrow)]
    pub media_src: Option<Text<'a>>,
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

/// Reads `{"d": T}` from a body, naming the place of the first error.
pub fn parse_entity<'a, T: Deserialize<'a>>(
    body: &'a [u8],
    context: &str,
) -> Result<T, ODataError> {
    serde_json::from_str::<Envelope<T>>(utf8(body, context)?)
        .map(|e| e.d)
        .map_err(|e| json_error(context, &e))
}

/// Reads `{"d": {"results": [...]}}` (or `{"d": [...]}`).
pub fn parse_page<'a, T: Deserialize<'a>>(
    body: &'a [u8],
    context: &str,
) -> Result<Page<T>, ODataError> {
    parse_page_map(body, context, Ok)
}

/// Reads a collection and turns each entity into `T` as soon as it is
/// read, so that no vector of wire entities is built (the listing of
/// thousands of appointments goes straight into the model).
pub fn parse_page_map<'a, W, T, F>(
    body: &'a [u8],
    context: &str,
    mut f: F,
) -> Result<Page<T>, ODataError>
where
    W: Deserialize<'a>,
    F: FnMut(W) -> Result<T, ODataError>,
{
    let text = utf8(body, context)?;
    let mut failed = None;
    let mut de = serde_json::Deserializer::from_str(text);
    let seed = EnvelopeSeed(Sink {
        f: &mut f,
        failed: &mut failed,
        capacity: capacity_guess(body.len()),
        _w: PhantomData,
    });
    let page = seed.deserialize(&mut de).and_then(|p| de.end().map(|()| p));
    match (page, failed) {
        (_, Some(e)) => Err(e),
        (Ok(p), None) => Ok(p),
        (Err(e), None) => Err(json_error(context, &e)),
    }
}

/// Validates UTF-8 once for the whole body, so that strings need no
/// check of their own.
fn utf8<'a>(body: &'a [u8], context: &str) -> Result<&'a str, ODataError> {
    std::str::from_utf8(body).map_err(|e| ODataError::Json {
        context: context.to_owned(),
        detail: format!("the body is not UTF-8 ({e})"),
    })
}

/// Where mapped entities go, and the first mapping error.
struct Sink<'s, W, F> {
    f: &'s mut F,
    failed: &'s mut Option<ODataError>,
    /// A guess of the number of entities, so that the result does not
    /// grow (and get copied) a dozen times on a large listing.
    capacity: usize,
    _w: PhantomData<fn(W)>,
}

impl<W, F> Sink<'_, W, F> {
    fn reborrow(&mut self) -> Sink<'_, W, F> {
        Sink {
            f: self.f,
            failed: self.failed,
            capacity: self.capacity,
            _w: PhantomData,
        }
    }
}

/// Entities of the profile take 0.3 to 2 KB of JSON; guessing one per KB
/// over-reserves little and never grows twice.
fn capacity_guess(body_len: usize) -> usize {
    (body_len / 1024).min(1 << 20)
}

fn map_seq<'de, A, W, T, F>(mut seq: A, sink: Sink<'_, W, F>) -> Result<Vec<T>, A::Error>
where
    A: SeqAccess<'de>,
    W: Deserialize<'de>,
    F: FnMut(W) -> Result<T, ODataError>,
{
    let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(sink.capacity));
    while let Some(w) = seq.next_element::<W>()? {
        match (sink.f)(w) {
            Ok(t) => out.push(t),
            Err(e) => {
                *sink.failed = Some(e);
                return Err(de::Error::custom("an entity could not be mapped"));
            }
        }
    }
    Ok(out)
}

struct EnvelopeSeed<'s, W, F>(Sink<'s, W, F>);

impl<'de, W, T, F> DeserializeSeed<'de> for EnvelopeSeed<'_, W, F>
where
    W: Deserialize<'de>,
    F: FnMut(W) -> Result<T, ODataError>,
{
    type Value = Page<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Page<T>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, W, T, F> Visitor<'de> for EnvelopeSeed<'_, W, F>
where
    W: Deserialize<'de>,
    F: FnMut(W) -> Result<T, ODataError>,
{
    type Value = Page<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{\"d\": …}")
    }
    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Page<T>, A::Error> {
        let mut page = None;
        while let Some(key) = map.next_key::<Text<'de>>()? {
            if &*key == "d" && page.is_none() {
                page = Some(map.next_value_seed(PageSeed(self.0.reborrow()))?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        page.ok_or_else(|| de::Error::custom("no \"d\" in the body"))
    }
}

struct PageSeed<'s, W, F>(Sink<'s, W, F>);

impl<'de, W, T, F> DeserializeSeed<'de> for PageSeed<'_, W, F>
where
    W: Deserialize<'de>,
    F: FnMut(W) -> Result<T, ODataError>,
{
    type Value = Page<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Page<T>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, W, T, F> Visitor<'de> for PageSeed<'_, W, F>
where
    W: Deserialize<'de>,
    F: FnMut(W) -> Result<T, ODataError>,
{
    type Value = Page<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a collection {\"results\": [...]} or an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Page<T>, A::Error> {
        Ok(Page {
            results: map_seq(seq, self.0)?,
            next: None,
            count: None,
        })
    }
    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Page<T>, A::Error> {
        let mut page = Page {
            results: Vec::new(),
            next: None,
            count: None,
        };
        let mut seen = false;
        while let Some(key) = map.next_key::<Text<'de>>()? {
            match &*key {
                "results" => {
                    page.results = map.next_value_seed(ResultsSeed(self.0.reborrow()))?;
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

struct ResultsSeed<'s, W, F>(Sink<'s, W, F>);

impl<'de, W, T, F> DeserializeSeed<'de> for ResultsSeed<'_, W, F>
where
    W: Deserialize<'de>,
    F: FnMut(W) -> Result<T, ODataError>,
{
    type Value = Vec<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, W, T, F> Visitor<'de> for ResultsSeed<'_, W, F>
where
    W: Deserialize<'de>,
    F: FnMut(W) -> Result<T, ODataError>,
{
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of entities")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
        map_seq(seq, self.0)
    }
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

/// A string borrowed from the body when it has no escapes, owned when it
/// has. (`Option<Cow<str>>` would always own: serde borrows only a bare
/// `Cow<str>`.)
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text<'a>(pub Cow<'a, str>);

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// A string property that may be `null` or missing: read as "".
pub fn text<'a>(v: &'a Option<Text<'_>>) -> &'a str {
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
            "/tests/samples/pyodata_v2_paging_count_next.json"
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
