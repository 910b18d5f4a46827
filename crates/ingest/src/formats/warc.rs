//! WARC archives (`.warc`, `.warc.gz`): HTTP responses holding HTML.

use std::io::BufRead;

use super::{Event, Reader};
use crate::IngestError;

pub struct WarcReader;

impl Reader for WarcReader {
    fn read(&self, name: &str, _input: &mut dyn BufRead, emit: &mut dyn FnMut(Event)) {
        emit(Event::Error(IngestError::Format("WARC archives are not supported yet".into()).at(name)));
    }
}
