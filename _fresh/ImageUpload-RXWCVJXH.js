import{a}from"./chunk-OWJOR5RZ.js";import"./chunk-NA3YMSLZ.js";import"./chunk-GJM3XLVX.js";import"./chunk-Y2RR6JTD.js";import"./chunk-5TBO732O.js";export{a as default};
