//! The Parquet export: one file per month of the event date
//! (`OUT/month=YYYY-MM/part-0.parquet`, `month=undated` last), the CSV columns typed
//! (INT64, INT32, DATE, DOUBLE, TIMESTAMP, UTF-8 strings; [`PARQUET_COLUMNS`]), Snappy
//! pages, written with the `parquet` crate's own column writers (no Arrow arrays: the
//! Arrow stack doubled the export's share of a clean build).
//!
//! Events stream from the store in date order; every [`ROW_GROUP_EVENTS`] events of a
//! month become one row group, written and forgotten, so memory stays bounded by one
//! row group whatever the size of the export.
use super::{casualty_fields, parse_day, round_confidence};
use crate::geography::{self, Place};
use crate::query::{EventRow, Filter};
use crate::{Store, StoreError};
use parquet::basic::{Compression, LogicalType, Repetition, TimeUnit, Type as PhysicalType};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::{SerializedColumnWriter, SerializedFileWriter};
use parquet::schema::types::Type;
use std::path::Path;
use std::sync::Arc;

/// Events per row group (the last one of a month holds the rest).
pub(super) const ROW_GROUP_EVENTS: usize = 8192;

/// How a column is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnType {
    Int32,
    Int64,
    Double,
    /// INT32 days since 1970-01-01 (DuckDB `DATE`, Arrow `date32`).
    Date,
    /// INT64 microseconds since 1970-01-01 00:00, not adjusted to UTC (DuckDB
    /// `TIMESTAMP`, Arrow `timestamp[us]`).
    Timestamp,
    /// UTF-8 (DuckDB `VARCHAR`, Arrow `string`).
    Text,
}

use ColumnType::{Date, Double, Int32, Int64, Text, Timestamp};

/// The Parquet columns: the CSV's ([`super::CSV_HEADER`]), in its order, with their type
/// and whether they may be null.
const PARQUET_COLUMNS: [(&str, ColumnType, bool); 36] = [
    ("event_id", Int64, false),
    ("date", Date, true),
    ("date_precision", Text, true),
    ("source_actor", Text, false),
    ("source_code", Text, false),
    ("target_actor", Text, true),
    ("target_code", Text, true),
    ("event_type", Text, false),
    ("cameo", Text, false),
    ("quad_class", Int32, false),
    ("goldstein", Double, false),
    ("location", Text, true),
    ("country", Text, true),
    ("admin1", Text, true),
    ("lat", Double, true),
    ("lon", Double, true),
    ("precision", Text, true),
    ("mentions", Int64, false),
    ("articles", Int64, false),
    ("sources", Int64, false),
    ("first_seen", Timestamp, true),
    ("last_seen", Timestamp, true),
    ("attribution", Text, false),
    ("reported_by_code", Text, true),
    ("reported_by_text", Text, true),
    ("confidence", Double, true),
    ("mode", Text, true),
    ("context", Text, true),
    ("killed", Int64, true),
    ("killed_high", Int64, true),
    ("injured", Int64, true),
    ("injured_high", Int64, true),
    ("abducted", Int64, true),
    ("abducted_high", Int64, true),
    ("arrested", Int64, true),
    ("arrested_high", Int64, true),
];

/// The Parquet schema of [`PARQUET_COLUMNS`].
fn schema() -> Result<Arc<Type>, ParquetError> {
    let fields = PARQUET_COLUMNS
        .iter()
        .map(|&(name, ty, nullable)| {
            let (physical, logical) = match ty {
                Int32 => (PhysicalType::INT32, None),
                Int64 => (PhysicalType::INT64, None),
                Double => (PhysicalType::DOUBLE, None),
                Date => (PhysicalType::INT32, Some(LogicalType::Date)),
                Timestamp => (
                    PhysicalType::INT64,
                    Some(LogicalType::timestamp(false, TimeUnit::MICROS)),
                ),
                Text => (PhysicalType::BYTE_ARRAY, Some(LogicalType::String)),
            };
            let repetition = if nullable {
                Repetition::OPTIONAL
            } else {
                Repetition::REQUIRED
            };
            Type::primitive_type_builder(name, physical)
                .with_logical_type(logical)
                .with_repetition(repetition)
                .build()
                .map(Arc::new)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Type::group_type_builder("event")
        .with_fields(fields)
        .build()
        .map(Arc::new)
}

/// One value of a row, before it is stored as its column's type.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Cell<'a> {
    Int(Option<i64>),
    Double(Option<f64>),
    Text(Option<&'a str>),
}

/// A day (`2025-03-04`) as days since 1970-01-01; `None` for no day or another form.
fn day(s: Option<&str>) -> Option<i64> {
    s.and_then(parse_day).map(crate::dedup::day_number)
}

/// An event and its place as the cells of [`PARQUET_COLUMNS`], in order.
fn cells<'a>(e: &'a EventRow, p: Option<&'a Place>) -> Vec<Cell<'a>> {
    let text = |s: &'a Option<String>| Cell::Text(s.as_deref());
    let stamp = |s: &Option<String>| Cell::Int(day(s.as_deref()).map(|d| d * 86_400_000_000));
    let mut row = vec![
        Cell::Int(Some(e.event)),
        Cell::Int(day(e.date.as_deref())),
        text(&e.date_precision),
        Cell::Text(Some(&e.source_actor)),
        Cell::Text(Some(&e.source_code)),
        text(&e.target_actor),
        text(&e.target_code),
        Cell::Text(Some(&e.event_type)),
        Cell::Text(Some(&e.cameo)),
        Cell::Int(Some(e.quad_class)),
        Cell::Double(Some(e.goldstein)),
        text(&e.location),
        Cell::Text(p.map(|p| p.country.as_str())),
        Cell::Text(p.and_then(|p| p.admin1.as_deref())),
        Cell::Double(p.map(|p| p.lat)),
        Cell::Double(p.map(|p| p.lon)),
        Cell::Text(p.map(|p| p.precision.as_str())),
        Cell::Int(Some(e.mentions)),
        Cell::Int(Some(e.articles)),
        Cell::Int(Some(e.sources)),
        stamp(&e.first_seen),
        stamp(&e.last_seen),
        Cell::Text(Some(&e.attribution)),
        text(&e.reported_by_code),
        text(&e.reported_by_text),
        Cell::Double(e.confidence.map(round_confidence)),
        text(&e.mode),
        text(&e.context),
    ];
    row.extend(casualty_fields(&e.casualties).map(Cell::Int));
    row
}

/// A column of a row group as the column writers take it: the values present and, for
/// a nullable column, a definition level per row (1 present, 0 null).
struct Gathered<T> {
    values: Vec<T>,
    levels: Vec<i16>,
}

/// Column `i` of `rows`, each cell read by `get` (`Err` when a cell is of another kind
/// than the column, which would be a bug of [`cells`]); `Err` too for a null in a
/// required column.
fn gather<'a, T>(
    rows: &[Vec<Cell<'a>>],
    i: usize,
    get: impl Fn(Cell<'a>) -> Option<Option<T>>,
) -> Result<Gathered<T>, ParquetError> {
    let (name, ty, nullable) = PARQUET_COLUMNS[i];
    let mut g = Gathered {
        values: Vec::with_capacity(rows.len()),
        levels: Vec::with_capacity(if nullable { rows.len() } else { 0 }),
    };
    for row in rows {
        let cell = row[i];
        match get(cell) {
            Some(Some(v)) => {
                g.values.push(v);
                if nullable {
                    g.levels.push(1);
                }
            }
            Some(None) if nullable => g.levels.push(0),
            Some(None) => {
                return Err(ParquetError::General(format!(
                    "column {name}: no value in a required column"
                )))
            }
            None => {
                return Err(ParquetError::General(format!(
                    "column {name}: {cell:?} in a {ty:?} column"
                )))
            }
        }
    }
    Ok(g)
}

/// Writes column `i` of `rows` with `column`, the writer of that column.
fn write_column(
    column: &mut SerializedColumnWriter<'_>,
    rows: &[Vec<Cell<'_>>],
    i: usize,
) -> Result<(), ParquetError> {
    let (name, ty, nullable) = PARQUET_COLUMNS[i];
    let int = |c: Cell| match c {
        Cell::Int(v) => Some(v),
        _ => None,
    };
    match ty {
        Int64 | Timestamp => {
            let g = gather(rows, i, int)?;
            let levels = nullable.then_some(g.levels.as_slice());
            column
                .typed::<Int64Type>()
                .write_batch(&g.values, levels, None)?;
        }
        Int32 | Date => {
            let g = gather(rows, i, int)?;
            let values = g
                .values
                .iter()
                .map(|&n| {
                    i32::try_from(n).map_err(|_| {
                        ParquetError::General(format!("column {name}: {n} is not a 32-bit integer"))
                    })
                })
                .collect::<Result<Vec<i32>, _>>()?;
            let levels = nullable.then_some(g.levels.as_slice());
            column
                .typed::<Int32Type>()
                .write_batch(&values, levels, None)?;
        }
        Double => {
            let g = gather(rows, i, |c| match c {
                Cell::Double(v) => Some(v),
                _ => None,
            })?;
            let levels = nullable.then_some(g.levels.as_slice());
            column
                .typed::<DoubleType>()
                .write_batch(&g.values, levels, None)?;
        }
        Text => {
            let g = gather(rows, i, |c| match c {
                Cell::Text(v) => Some(v),
                _ => None,
            })?;
            let levels = nullable.then_some(g.levels.as_slice());
            column
                .typed::<ByteArrayType>()
                .write_batch(&byte_arrays(&g.values), levels, None)?;
        }
    }
    Ok(())
}

/// The strings as byte arrays sharing one buffer: one allocation for a column of a row
/// group, not one per value.
fn byte_arrays(strings: &[&str]) -> Vec<ByteArray> {
    let buffer = ByteArray::from(strings.concat().into_bytes());
    let mut start = 0;
    strings
        .iter()
        .map(|s| {
            let b = buffer.slice(start, s.len());
            start += s.len();
            b
        })
        .collect()
}

/// Writes `rows` as one row group of `w`.
fn write_row_group(
    w: &mut SerializedFileWriter<std::fs::File>,
    rows: &[PlacedEvent],
) -> Result<(), ParquetError> {
    let rows: Vec<Vec<Cell>> = rows.iter().map(|(e, p)| cells(e, p.as_ref())).collect();
    let mut group = w.next_row_group()?;
    for (i, (name, ..)) in PARQUET_COLUMNS.iter().enumerate() {
        let Some(mut column) = group.next_column()? else {
            return Err(ParquetError::General(format!(
                "the schema has no column {name}"
            )));
        };
        write_column(&mut column, &rows, i)?;
        column.close()?;
    }
    group.close()?;
    Ok(())
}

/// A row of the Parquet export: the event and its place.
type PlacedEvent = (EventRow, Option<Place>);

/// The partition of an event: `2025-03`, or `undated`.
fn month_of(e: &EventRow) -> String {
    e.date
        .as_deref()
        .and_then(|d| d.get(..7))
        .unwrap_or("undated")
        .to_string()
}

/// The file of one month being written, with the events of its next row group.
struct Partition {
    month: String,
    writer: SerializedFileWriter<std::fs::File>,
    rows: Vec<PlacedEvent>,
}

impl Partition {
    /// Writes the events held, if any, as a row group.
    fn flush(&mut self) -> Result<(), ParquetError> {
        if !self.rows.is_empty() {
            write_row_group(&mut self.writer, &self.rows)?;
            self.rows.clear();
        }
        Ok(())
    }

    /// Writes the last row group and the footer.
    fn finish(mut self) -> Result<(), ParquetError> {
        self.flush()?;
        self.writer.close()?;
        Ok(())
    }
}

/// Makes room for a new export in `dir`: the `month=*/part-*.parquet` files of an
/// earlier export are removed; anything else in `dir` is refused, untouched.
fn clear_partitions(dir: &Path) -> Result<(), StoreError> {
    let io = |p: &Path, e: std::io::Error| StoreError::Io {
        path: p.to_path_buf(),
        source: e,
    };
    let refuse = |p: &Path| {
        StoreError::Export(format!(
            "{}: the Parquet output directory holds {}, which is not an earlier export; choose an empty directory",
            dir.display(),
            p.display()
        ))
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return if dir.exists() && !dir.is_dir() {
            Err(refuse(dir))
        } else {
            Ok(())
        };
    };
    let mut parts = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io(dir, e))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with("month=") || !path.is_dir() {
            return Err(refuse(&path));
        }
        for f in std::fs::read_dir(&path).map_err(|e| io(&path, e))? {
            let f = f.map_err(|e| io(&path, e))?.path();
            let n = f
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            if !(n.starts_with("part-") && n.ends_with(".parquet")) {
                return Err(refuse(&f));
            }
            parts.push(f);
        }
    }
    for f in &parts {
        std::fs::remove_file(f).map_err(|e| io(f, e))?;
        if let Some(parent) = f.parent() {
            let _ = std::fs::remove_dir(parent);
        }
    }
    Ok(())
}

/// Writes the events matching `filter` into `dir`, one file per month. Returns the
/// number of events written.
pub(super) fn export_parquet(
    store: &Store,
    filter: &Filter,
    dir: &Path,
) -> Result<u64, StoreError> {
    let io = |p: &Path, e: std::io::Error| StoreError::Io {
        path: p.to_path_buf(),
        source: e,
    };
    let pq = |e: ParquetError| StoreError::Export(format!("{}: {e}", dir.display()));
    clear_partitions(dir)?;
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let schema = schema().map_err(pq)?;
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build(),
    );
    let mut current: Option<Partition> = None;
    let mut n = 0u64;
    // Events come in date order, undated last: each month is written once, in turn.
    store.for_each_event(filter, false, |e| {
        n += 1;
        let month = month_of(&e);
        if current.as_ref().map(|p| p.month != month).unwrap_or(true) {
            if let Some(p) = current.take() {
                p.finish().map_err(pq)?;
            }
            let part = dir.join(format!("month={month}"));
            std::fs::create_dir_all(&part).map_err(|e| io(&part, e))?;
            let path = part.join("part-0.parquet");
            let file = std::fs::File::create(&path).map_err(|e| io(&path, e))?;
            let writer =
                SerializedFileWriter::new(file, schema.clone(), props.clone()).map_err(pq)?;
            current = Some(Partition {
                month,
                writer,
                rows: Vec::new(),
            });
        }
        let place = geography::place_of(store, &e)?;
        let p = current.as_mut().expect("a partition is open");
        p.rows.push((e, place));
        if p.rows.len() >= ROW_GROUP_EVENTS {
            p.flush().map_err(pq)?;
        }
        Ok(())
    })?;
    if let Some(p) = current.take() {
        p.finish().map_err(pq)?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Casualties;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    fn event(id: i64, date: Option<&str>) -> EventRow {
        EventRow {
            event: id,
            date: date.map(String::from),
            date_precision: date.map(|_| "day".to_string()),
            source_actor: "Ruritanian army".into(),
            source_code: "RURMIL".into(),
            target_actor: None,
            target_code: None,
            event_type: "ASSAULT".into(),
            cameo: "190".into(),
            quad_class: 4,
            goldstein: -10.0,
            location: Some("Strelsau, RUR".into()),
            mentions: 2,
            articles: 2,
            sources: 1,
            first_seen: date.map(String::from),
            last_seen: None,
            mutual: false,
            attribution: "asserted".into(),
            reported_by_code: None,
            reported_by_text: None,
            confidence: Some(0.812_499_9),
            mode: None,
            context: None,
            casualties: Casualties {
                killed: Some(3),
                ..Casualties::default()
            },
            mention_list: Vec::new(),
        }
    }

    fn strelsau() -> Place {
        Place {
            name: "Strelsau".into(),
            admin1: None,
            country: "RUR".into(),
            lat: 50.25,
            lon: 14.5,
            precision: "city".into(),
        }
    }

    #[test]
    fn parquet_columns_are_the_csv_columns_in_order() {
        let names: Vec<&str> = PARQUET_COLUMNS.iter().map(|c| c.0).collect();
        assert_eq!(names, super::super::CSV_HEADER);
        assert_eq!(schema().unwrap().get_fields().len(), PARQUET_COLUMNS.len());
    }

    #[test]
    fn every_cell_fits_its_column_type() {
        let e = event(1, Some("2025-03-04"));
        let place = strelsau();
        for row in [cells(&e, None), cells(&e, Some(&place))] {
            assert_eq!(row.len(), PARQUET_COLUMNS.len());
            for (cell, (name, ty, _)) in row.iter().zip(PARQUET_COLUMNS) {
                let fits = matches!(
                    (cell, ty),
                    (Cell::Int(_), Int32 | Int64 | Date | Timestamp)
                        | (Cell::Double(_), Double)
                        | (Cell::Text(_), Text)
                );
                assert!(fits, "{name}: {cell:?} in a {ty:?} column");
            }
        }
    }

    #[test]
    fn a_null_in_a_required_column_is_an_error_naming_it() {
        let rows = vec![vec![Cell::Int(None); PARQUET_COLUMNS.len()]];
        let err = gather(&rows, 0, |c| match c {
            Cell::Int(v) => Some(v),
            _ => None,
        })
        .err()
        .unwrap();
        assert!(err.to_string().contains("event_id: no value"), "{err}");
    }

    #[test]
    fn a_cell_of_another_kind_is_an_error_naming_the_column() {
        let rows = vec![vec![Cell::Text(Some("x")); PARQUET_COLUMNS.len()]];
        let err = gather(&rows, 0, |c| match c {
            Cell::Int(v) => Some(v),
            _ => None,
        })
        .err()
        .unwrap();
        assert!(err.to_string().contains("event_id: Text"), "{err}");
    }

    #[test]
    fn byte_arrays_slice_one_buffer_in_order() {
        let b = byte_arrays(&["Kyiv", "", "Ankara"]);
        let got: Vec<&[u8]> = b.iter().map(|b| b.data()).collect();
        assert_eq!(got, [&b"Kyiv"[..], b"", b"Ankara"]);
    }

    #[test]
    fn days_count_from_1970() {
        assert_eq!(day(Some("1970-01-02")), Some(1));
        assert_eq!(day(Some("2025-03-04")), Some(20_151));
        assert_eq!(day(Some("2025-03")), None);
        assert_eq!(day(None), None);
    }

    /// Rows held are written as a row group at each flush; the file reads back with the
    /// parquet crate's record reader, typed and null where nothing is known.
    #[test]
    fn each_flush_writes_a_row_group_that_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("part-0.parquet");
        let props = Arc::new(
            WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .build(),
        );
        let file = std::fs::File::create(&path).unwrap();
        let mut p = Partition {
            month: "2025-03".into(),
            writer: SerializedFileWriter::new(file, schema().unwrap(), props).unwrap(),
            rows: Vec::new(),
        };
        for id in 1..=3 {
            p.rows
                .push((event(id, Some("2025-03-04")), Some(strelsau())));
        }
        p.flush().unwrap();
        assert!(p.rows.is_empty());
        p.rows.push((event(4, Some("2025-03-31")), None));
        p.finish().unwrap();

        let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        let groups: Vec<i64> = reader
            .metadata()
            .row_groups()
            .iter()
            .map(|g| g.num_rows())
            .collect();
        assert_eq!(groups, [3, 1]);
        let rows: Vec<_> = reader
            .get_row_iter(None)
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(rows.len(), 4);
        let field = |r: usize, name: &str| -> Field {
            rows[r]
                .get_column_iter()
                .find(|(n, _)| n.as_str() == name)
                .map(|(_, f)| f.clone())
                .unwrap_or_else(|| panic!("no column {name}"))
        };
        assert_eq!(field(0, "event_id"), Field::Long(1));
        assert_eq!(field(3, "event_id"), Field::Long(4));
        assert_eq!(field(0, "date"), Field::Date(20_151));
        assert_eq!(
            field(0, "first_seen"),
            Field::TimestampMicros(20_151 * 86_400_000_000)
        );
        assert_eq!(field(0, "last_seen"), Field::Null);
        assert_eq!(field(0, "quad_class"), Field::Int(4));
        assert_eq!(field(0, "goldstein"), Field::Double(-10.0));
        assert_eq!(field(0, "source_code"), Field::Str("RURMIL".into()));
        assert_eq!(field(0, "target_code"), Field::Null);
        assert_eq!(field(0, "lat"), Field::Double(50.25));
        assert_eq!(field(3, "lat"), Field::Null);
        assert_eq!(field(3, "country"), Field::Null);
        assert_eq!(field(0, "confidence"), Field::Double(0.8125));
        assert_eq!(field(0, "killed"), Field::Long(3));
        assert_eq!(field(0, "injured"), Field::Null);
    }
}
