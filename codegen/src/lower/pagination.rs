//! Page-number pagination detected on list operations.

use super::*;

impl<'a> Lowerer<'a> {
    pub(super) fn pagination(&self, method: Method, req: &[Param], opt: &[Param], success: Option<&Ty>) -> Option<Pagination> {
        if method != Method::Get {
            return None;
        }
        let page_param = req.iter().chain(opt).find_map(|p| {
            if p.location != ParamLocation::Query {
                return None;
            }
            if p.wire == "page[number]" {
                return Some("page[number]".to_string());
            }
            if p.wire == "page" {
                if let Ty::Named(n) = &p.ty {
                    if let Some(TypeKind::Struct(s)) = self.types.get(n).map(|d| &d.kind) {
                        if s.fields.iter().any(|f| f.wire == "number") {
                            return Some("page[number]".to_string());
                        }
                    }
                }
            }
            None
        })?;
        let Some(Ty::Named(resp)) = success else { return None };
        let TypeKind::Struct(rs) = &self.types.get(resp)?.kind else { return None };
        let data = rs.fields.iter().find(|f| f.wire == "data")?;
        let Ty::Vec(item) = &data.ty else { return None };
        let meta = rs.fields.iter().find(|f| f.wire == "meta")?;
        let Ty::Named(meta_name) = &meta.ty else { return None };
        let TypeKind::Struct(ms) = &self.types.get(meta_name)?.kind else { return None };
        let pn = ms.fields.iter().find(|f| f.wire == "page_number" && matches!(f.ty, Ty::I64 | Ty::I32))?;
        let tp = ms.fields.iter().find(|f| f.wire == "total_pages" && matches!(f.ty, Ty::I64 | Ty::I32))?;
        Some(Pagination {
            page_param,
            item: (**item).clone(),
            data_field: data.ident.clone(),
            meta_field: meta.ident.clone(),
            page_number_field: pn.ident.clone(),
            total_pages_field: tp.ident.clone(),
        })
    }
}
