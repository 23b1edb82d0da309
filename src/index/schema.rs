//! The tantivy schema: one text field per [`jawnik_engine::Field`] (positions kept, since
//! phrases and proximity need them), facet fields as raw terms, and fast fields for the
//! document's stable rank (`ord`) and its date.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};

use jawnik_engine::schema::FACETS;

/// The stored field holding a document's result record (JSON of [`super::IndexDoc`]).
pub const RECORD_FIELD: &str = "record";
/// Fast field: the document's rank in URL order.
pub const ORD_FIELD: &str = "ord";
/// Fast field: days since 1970-01-01, or `i64::MIN` for an undated document.
pub const DATE_FIELD: &str = "date";

/// The schema and its field handles.
#[derive(Clone)]
pub struct IndexSchema {
    /// The tantivy schema.
    pub schema: Schema,
    /// Text fields in [`jawnik_engine::Field::ALL`] order.
    pub text: Vec<Field>,
    /// Facet fields in [`FACETS`] order.
    pub facets: Vec<Field>,
    /// `ord`.
    pub ord: Field,
    /// `date`.
    pub date: Field,
    /// `record`.
    pub record: Field,
}

impl IndexSchema {
    /// Builds the schema.
    pub fn new() -> Self {
        let mut builder = Schema::builder();
        let indexing = TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let options = TextOptions::default().set_indexing_options(indexing);
        let text = jawnik_engine::Field::ALL
            .iter()
            .map(|f| builder.add_text_field(f.name(), options.clone()))
            .collect();
        let facets = FACETS
            .iter()
            .map(|name| builder.add_text_field(name, STRING))
            .collect();
        let ord = builder.add_u64_field(ORD_FIELD, FAST | STORED);
        let date = builder.add_i64_field(DATE_FIELD, FAST);
        let record = builder.add_text_field(RECORD_FIELD, STORED);
        IndexSchema {
            schema: builder.build(),
            text,
            facets,
            ord,
            date,
            record,
        }
    }

    /// Reads the handles from an existing index's schema.
    pub fn from_schema(schema: Schema) -> tantivy::Result<Self> {
        let get = |name: &str| schema.get_field(name);
        let text = jawnik_engine::Field::ALL
            .iter()
            .map(|f| get(f.name()))
            .collect::<Result<_, _>>()?;
        let facets = FACETS.iter().map(|n| get(n)).collect::<Result<_, _>>()?;
        Ok(IndexSchema {
            text,
            facets,
            ord: get(ORD_FIELD)?,
            date: get(DATE_FIELD)?,
            record: get(RECORD_FIELD)?,
            schema,
        })
    }

    /// The tantivy field of an engine field.
    pub fn field(&self, field: jawnik_engine::Field) -> Field {
        self.text[field.index()]
    }

    /// The tantivy field of a facet name.
    pub fn facet(&self, name: &str) -> Option<Field> {
        FACETS
            .iter()
            .position(|f| *f == name)
            .map(|i| self.facets[i])
    }
}

impl Default for IndexSchema {
    fn default() -> Self {
        Self::new()
    }
}
