import{a as e}from"./chunk-LJRRMI2M.js";import"./chunk-JRKFZMRJ.js";import"./chunk-GJM3XLVX.js";import"./chunk-Y2RR6JTD.js";import"./chunk-5TBO732O.js";export{e as default};
