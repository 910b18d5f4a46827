//! RSS and Atom feeds: each item an article.

use std::io::BufRead;

use super::{Event, Reader};
use crate::IngestError;

pub struct FeedReader;

impl Reader for FeedReader {
    fn read(&self, name: &str, _input: &mut dyn BufRead, emit: &mut dyn FnMut(Event)) {
        emit(Event::Error(IngestError::Format("feeds are not supported yet".into()).at(name)));
    }
}
