import{a as e}from"./chunk-CSTORS23.js";import"./chunk-NA3YMSLZ.js";import"./chunk-W2TLCAHI.js";import"./chunk-E7LDSCYE.js";import"./chunk-5TBO732O.js";export{e as default};
