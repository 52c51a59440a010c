//! Returns reached by a jump, after a function's code is complete.
//!
//! A branch out of the function's outermost block carries its values into
//! the block's result slots and jumps to the one `Return` at its end
//! (fib's leaf: `Copy`, `Jump`, then the shared `Return`). Two rewrites
//! shorten that path:
//!
//! - a `Jump` whose target is a `Return` (after the target's labels, or
//!   through further jumps) becomes that `Return`: what the jump reaches
//!   returns the same registers, and nothing runs in between;
//! - `Copy` instructions right before a `Return`, with no label between,
//!   that write a returned register are dropped, and the `Return` names
//!   their sources instead: nothing reads a register after the return.

use std::collections::HashMap;

use arenavm_vm::isa::{Instr, Label, ListRef};
use arenavm_vm::program::Function;

/// Applies both rewrites to `f`.
pub(super) fn thread(f: &mut Function<Label>) {
    thread_jumps(&mut f.code);
    fold_copies(f);
}

/// Replaces every `Jump` that reaches a `Return` with that `Return`.
fn thread_jumps(code: &mut [Instr<Label>]) {
    // Each label's instruction: the first after it that is not a label.
    let mut at: HashMap<Label, usize> = HashMap::new();
    let mut next = None;
    for (i, instr) in code.iter().enumerate().rev() {
        match (instr, next) {
            (Instr::Label { name }, Some(next)) => {
                at.insert(*name, next);
            }
            (Instr::Label { .. }, None) => {}
            _ => next = Some(i),
        }
    }
    for i in 0..code.len() {
        if let Instr::Jump { target } = code[i]
            && let Some(values) = return_reached(code, &at, target)
        {
            code[i] = Instr::Return { values };
        }
    }
}

/// How many jumps [`return_reached`] follows: more than the chains that
/// structured code makes (an arm's jump to its block's end, where a
/// branch out follows), and a bound that keeps a loop of jumps (`loop br
/// 0 end`) from costing more than a few steps per jump.
const MAX_HOPS: usize = 16;

/// The values of the `Return` that a jump to `target` runs next, if one
/// does: `target`'s instruction (see `at`), following up to [`MAX_HOPS`]
/// jumps.
fn return_reached(
    code: &[Instr<Label>],
    at: &HashMap<Label, usize>,
    mut target: Label,
) -> Option<ListRef> {
    for _ in 0..MAX_HOPS {
        match code[*at.get(&target)?] {
            Instr::Return { values } => return Some(values),
            Instr::Jump { target: t } => target = t,
            _ => return None,
        }
    }
    None
}

/// Folds the copies into returned registers that stand right before each
/// `Return` into it (see the module's documentation).
fn fold_copies(f: &mut Function<Label>) {
    let mut code = Vec::with_capacity(f.code.len());
    for instr in f.code.drain(..) {
        let Instr::Return { values } = instr else {
            code.push(instr);
            continue;
        };
        let Some(mut regs) = f.lists.get(values.0 as usize).cloned() else {
            code.push(instr);
            continue;
        };
        let mut folded = false;
        // Last copy first: each one's source is read by the `Return` where
        // the copy stood, when every copy after it is gone too.
        while let Some(&Instr::Copy { dst, src }) = code.last() {
            if !regs.contains(&dst) {
                break;
            }
            regs.iter_mut()
                .filter(|r| **r == dst)
                .for_each(|r| *r = src);
            code.pop();
            folded = true;
        }
        let values = if folded {
            f.lists.push(regs);
            ListRef((f.lists.len() - 1) as u32)
        } else {
            values
        };
        code.push(Instr::Return { values });
    }
    f.code = code;
}

#[cfg(test)]
mod tests {
    use arenavm_vm::builder::FunctionBuilder;
    use arenavm_vm::isa::Reg;
    use arenavm_vm::types::{ScalarType, Type};

    use super::*;

    fn names(f: &Function<Label>) -> Vec<&'static str> {
        f.code.iter().map(|i| i.name()).collect()
    }

    fn returned(f: &Function<Label>, at: usize) -> Vec<Reg> {
        match f.code[at] {
            Instr::Return { values } => f.lists[values.0 as usize].clone(),
            ref other => panic!("{other:?} is no Return"),
        }
    }

    #[test]
    fn a_jump_to_a_return_through_labels_and_jumps_becomes_the_return() {
        let mut b = FunctionBuilder::new("f", &[Type::I32], &[Type::I32]);
        let (first, second, third) = (b.label(), b.label(), b.label());
        b.push(Instr::BrIf {
            cond: Reg(0),
            target: first,
        });
        b.push(Instr::Jump { target: second });
        b.bind(first);
        b.push(Instr::Jump { target: second });
        b.bind(second);
        b.push(Instr::Jump { target: third });
        b.bind(third);
        b.ret(&[Reg(0)]);
        let mut f = b.finish();
        thread(&mut f);
        assert_eq!(
            names(&f),
            [
                "BrIf", "Return", "Label", "Return", "Label", "Return", "Label", "Return"
            ]
        );
        assert_eq!(returned(&f, 1), [Reg(0)]);
    }

    #[test]
    fn jumps_that_reach_no_return_stay() {
        let mut b = FunctionBuilder::new("f", &[Type::I32], &[Type::I32]);
        let (top, out) = (b.label(), b.label());
        b.bind(top);
        b.push(Instr::BrIf {
            cond: Reg(0),
            target: out,
        });
        b.push(Instr::Jump { target: top });
        b.bind(out);
        b.push(Instr::I32AddImm {
            dst: Reg(0),
            a: Reg(0),
            imm: 1,
        });
        b.push(Instr::Jump { target: top });
        let mut f = b.finish();
        let before = f.code.clone();
        thread(&mut f);
        assert_eq!(f.code, before, "a loop of jumps, and a jump to an add");
    }

    #[test]
    fn copies_into_returned_registers_fold_into_the_return() {
        let mut b = FunctionBuilder::new("f", &[Type::I32, Type::I32], &[Type::I32, Type::I32]);
        let (x, y) = (b.scalar(ScalarType::I32), b.scalar(ScalarType::I32));
        let copy = |dst, src| Instr::Copy { dst, src };
        // x = p0; p0 = p1; y = x; return (y, p0) is return (p0, p1).
        b.push(copy(x, Reg(0)));
        b.push(copy(Reg(0), Reg(1)));
        b.push(copy(y, x));
        b.ret(&[y, Reg(0)]);
        let mut f = b.finish();
        thread(&mut f);
        assert_eq!(names(&f), ["Return"]);
        assert_eq!(returned(&f, 0), [Reg(0), Reg(1)]);
    }

    #[test]
    fn a_label_or_a_copy_into_another_register_ends_the_folding() {
        let mut b = FunctionBuilder::new("f", &[Type::I32, Type::I32], &[Type::I32]);
        let (x, y) = (b.scalar(ScalarType::I32), b.scalar(ScalarType::I32));
        let label = b.label();
        let copy = |dst, src| Instr::Copy { dst, src };
        b.push(copy(x, Reg(1)));
        b.push(copy(y, Reg(0)));
        b.push(copy(x, Reg(0)));
        b.ret(&[x]);
        b.push(copy(x, Reg(1)));
        b.bind(label);
        b.ret(&[x]);
        let mut f = b.finish();
        thread(&mut f);
        assert_eq!(
            names(&f),
            ["Copy", "Copy", "Return", "Copy", "Label", "Return"]
        );
        assert_eq!(returned(&f, 2), [Reg(0)], "the copy into y stays");
        assert_eq!(returned(&f, 5), [x], "another path may enter at the label");
    }
}
