//! Words and elements: list, array and map contents as the test compares
//! them, element by element.

use arenavm_arenas::{ArenaTag, Cell, Element, Value};
use proptest::test_runner::TestCaseError;

use crate::contents::{Contents, Observed};

/// Position of an object in the model: its allocation order, never reused.
pub(crate) type ObjId = usize;

/// One element as the test compares it. Floats are compared by their bits,
/// so NaN payloads and signed zeros must survive every copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Word {
    Null,
    I64(i64),
    F64(u64),
    Byte(u8),
    Cell(Cell),
}

impl Word {
    /// The list or map value this word stands for; a byte is no such value.
    pub(crate) fn to_value(self) -> Option<Value> {
        match self {
            Word::Null => Some(Value::Null),
            Word::I64(v) => Some(Value::I64(v)),
            Word::F64(bits) => Some(Value::F64(f64::from_bits(bits))),
            Word::Cell(cell) => Some(Value::Cell(cell)),
            Word::Byte(_) => None,
        }
    }
}

impl From<Value> for Word {
    fn from(value: Value) -> Word {
        match value {
            Value::Null => Word::Null,
            Value::I64(v) => Word::I64(v),
            Value::F64(v) => Word::F64(v.to_bits()),
            Value::Cell(cell) => Word::Cell(cell),
        }
    }
}

/// A list element or map value in the model: the word the heap must hold
/// and, for a Cell, the model object the Cell was minted for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Elem {
    pub(crate) word: Word,
    pub(crate) target: Option<ObjId>,
}

impl Elem {
    pub(crate) fn data(word: Word) -> Elem {
        Elem { word, target: None }
    }

    pub(crate) fn cell(cell: Cell, target: ObjId) -> Elem {
        Elem {
            word: Word::Cell(cell),
            target: Some(target),
        }
    }
}

/// The element types of lists and arrays, seen as words.
pub(crate) trait TestElement: Element {
    fn to_word(self) -> Word;
    /// `None` if `word` is not of this element type.
    fn from_word(word: Word) -> Option<Self>;
    /// A window of these elements as the model's contents.
    fn observe(window: &[Self]) -> Observed;
}

impl TestElement for Value {
    fn to_word(self) -> Word {
        Word::from(self)
    }
    fn from_word(word: Word) -> Option<Self> {
        word.to_value()
    }
    fn observe(window: &[Self]) -> Observed {
        Contents::List(window.iter().map(|v| Word::from(*v)).collect())
    }
}

impl TestElement for i64 {
    fn to_word(self) -> Word {
        Word::I64(self)
    }
    fn from_word(word: Word) -> Option<Self> {
        match word {
            Word::I64(v) => Some(v),
            _ => None,
        }
    }
    fn observe(window: &[Self]) -> Observed {
        Contents::I64(window.to_vec())
    }
}

impl TestElement for f64 {
    fn to_word(self) -> Word {
        Word::F64(self.to_bits())
    }
    fn from_word(word: Word) -> Option<Self> {
        match word {
            Word::F64(bits) => Some(f64::from_bits(bits)),
            _ => None,
        }
    }
    fn observe(window: &[Self]) -> Observed {
        Contents::F64(window.iter().map(|v| v.to_bits()).collect())
    }
}

impl TestElement for u8 {
    fn to_word(self) -> Word {
        Word::Byte(self)
    }
    fn from_word(word: Word) -> Option<Self> {
        match word {
            Word::Byte(b) => Some(b),
            _ => None,
        }
    }
    fn observe(window: &[Self]) -> Observed {
        Contents::U8(window.to_vec())
    }
}

/// `word` as an element of type `E`; a mismatch is a bug in the model.
pub(crate) fn element_of<E: TestElement>(word: Word) -> Result<E, TestCaseError> {
    E::from_word(word).ok_or_else(|| {
        TestCaseError::fail(format!("model bug: {word:?} is no element of a {}", E::TAG))
    })
}

/// True for the arenas whose objects are lists or arrays.
pub(crate) fn is_vector(tag: ArenaTag) -> bool {
    with_element!(tag, |_E| true, else false)
}
