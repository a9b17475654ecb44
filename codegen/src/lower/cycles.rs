//! By-value cycles between named types, boxed so recursive types have a
//! finite size (Tarjan's SCC).

use super::*;

/// Boxes every by-value edge that closes a cycle (both ends in one strongly
/// connected component), so recursive types have a finite size.
pub(super) fn box_cycles(types: &mut BTreeMap<String, TypeDef>) {
    let names: Vec<String> = types.keys().cloned().collect();
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
    for (i, n) in names.iter().enumerate() {
        let mut out = Vec::new();
        match &types[n].kind {
            TypeKind::Struct(s) => s.fields.iter().for_each(|f| by_value(&f.ty, &mut out)),
            TypeKind::Union(u) => u.variants.iter().for_each(|v| by_value(&v.ty, &mut out)),
            TypeKind::Alias(t) => by_value(t, &mut out),
            TypeKind::Enum(_) => {}
        }
        edges[i] = out.iter().filter_map(|o| index.get(o.as_str()).copied()).collect();
    }
    let comp = tarjan(&edges);
    for (i, n) in names.iter().enumerate() {
        let Some(def) = types.get_mut(n) else { continue };
        let same = |t: &Ty| -> bool {
            let mut out = Vec::new();
            by_value(t, &mut out);
            out.iter().any(|o| index.get(o.as_str()).is_some_and(|&j| comp[j] == comp[i]))
        };
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for f in s.fields.iter_mut() {
                    if same(&f.ty) {
                        f.ty = Ty::Boxed(Box::new(f.ty.clone()));
                    }
                }
            }
            TypeKind::Union(u) => {
                for v in u.variants.iter_mut() {
                    if same(&v.ty) {
                        v.ty = Ty::Boxed(Box::new(v.ty.clone()));
                    }
                }
            }
            _ => {}
        }
    }
}

pub(super) fn by_value(ty: &Ty, out: &mut Vec<String>) {
    if let Ty::Named(n) = ty {
        out.push(n.clone());
    }
}

/// Iterative Tarjan SCC: component id per node.
pub(super) fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comp = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_comp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut ei)) = call.last_mut() {
            if *ei == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if *ei < edges[v].len() {
                let w = edges[v][*ei];
                *ei += 1;
                if index[w] == usize::MAX {
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = next_comp;
                        if w == v {
                            break;
                        }
                    }
                    next_comp += 1;
                }
            }
        }
    }
    comp
}
