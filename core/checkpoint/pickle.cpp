#include "checkpoint/pickle.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>

namespace zsi::pickle {

struct Pickle::Arena {
    std::vector<std::unique_ptr<Value>> values;
};

Pickle::Pickle() : arena_(std::make_unique<Arena>()) {}
Pickle::~Pickle() = default;
Pickle::Pickle(Pickle&&) noexcept = default;
Pickle& Pickle::operator=(Pickle&&) noexcept = default;

const Value* Value::find(std::string_view key) const {
    if (kind != Kind::Dict) return nullptr;
    for (const auto& [k, v] : pairs)
        if (k->isString() && k->s == key) return v;
    return nullptr;
}

bool Value::isCall(std::string_view name) const {
    return kind == Kind::Object && !items.empty() && items[0]->kind == Kind::Global &&
           items[0]->s == name;
}

std::size_t BufferSource::read(char* out, std::size_t n) {
    const std::size_t k = std::min(n, bytes_.size() - pos_);
    std::memcpy(out, bytes_.data() + pos_, k);
    pos_ += k;
    return k;
}

namespace {

// Opcodes (Python's Lib/pickle.py).
enum : unsigned char {
    MARK = '(',
    STOP = '.',
    POP = '0',
    POP_MARK = '1',
    DUP = '2',
    FLOAT = 'F',
    INT = 'I',
    BININT = 'J',
    BININT1 = 'K',
    LONG = 'L',
    BININT2 = 'M',
    NONE = 'N',
    PERSID = 'P',
    BINPERSID = 'Q',
    REDUCE = 'R',
    STRING = 'S',
    BINSTRING = 'T',
    SHORT_BINSTRING = 'U',
    UNICODE = 'V',
    BINUNICODE = 'X',
    APPEND = 'a',
    BUILD = 'b',
    GLOBAL = 'c',
    DICT = 'd',
    EMPTY_DICT = '}',
    APPENDS = 'e',
    GET = 'g',
    BINGET = 'h',
    INST = 'i',
    LONG_BINGET = 'j',
    LIST = 'l',
    EMPTY_LIST = ']',
    OBJ = 'o',
    PUT = 'p',
    BINPUT = 'q',
    LONG_BINPUT = 'r',
    SETITEM = 's',
    TUPLE = 't',
    EMPTY_TUPLE = ')',
    SETITEMS = 'u',
    BINFLOAT = 'G',
    PROTO = 0x80,
    NEWOBJ = 0x81,
    EXT1 = 0x82,
    EXT2 = 0x83,
    EXT4 = 0x84,
    TUPLE1 = 0x85,
    TUPLE2 = 0x86,
    TUPLE3 = 0x87,
    NEWTRUE = 0x88,
    NEWFALSE = 0x89,
    LONG1 = 0x8a,
    LONG4 = 0x8b,
    BINBYTES = 'B',
    SHORT_BINBYTES = 'C',
    SHORT_BINUNICODE = 0x8c,
    BINUNICODE8 = 0x8d,
    BINBYTES8 = 0x8e,
    EMPTY_SET = 0x8f,
    ADDITEMS = 0x90,
    FROZENSET = 0x91,
    NEWOBJ_EX = 0x92,
    STACK_GLOBAL = 0x93,
    MEMOIZE = 0x94,
    FRAME = 0x95,
    BYTEARRAY8 = 0x96,
    NEXT_BUFFER = 0x97,
    READONLY_BUFFER = 0x98,
};

class Parser {
public:
    Parser(ByteSource& source, const Limits& limits, Pickle::Arena& arena,
           std::vector<const Value*>& persistentIds)
        : src_(source), limits_(limits), arena_(arena), persistentIds_(persistentIds) {}

    const Value* run() {
        for (;;) {
            opStart_ = offset();
            const unsigned char op = byte();
            if (op == STOP) {
                if (stack_.size() != 1 || !marks_.empty()) fail("STOP with an unbalanced stack");
                return stack_.back();
            }
            step(op);
        }
    }

private:
    // --- input ---
    std::uint64_t offset() const { return src_.position() - (end_ - pos_); }

    [[noreturn]] void fail(const std::string& reason) const { throw PickleError(reason, opStart_); }

    bool fill() {
        buf_.resize(1 << 16);
        const std::size_t n = src_.read(buf_.data(), buf_.size());
        pos_ = 0;
        end_ = n;
        return n > 0;
    }

    unsigned char byte() {
        if (pos_ == end_ && !fill())
            throw PickleError("truncated pickle (no STOP opcode)", offset());
        return static_cast<unsigned char>(buf_[pos_++]);
    }

    // Reads n bytes without trusting n: a huge length in a short file fails after reading
    // what exists, instead of allocating n bytes first.
    std::string bytes(std::uint64_t n) {
        if (n > limits_.maxStringBytes)
            fail("string of " + std::to_string(n) + " bytes is over the limit");
        std::string out;
        while (out.size() < n) {
            if (pos_ == end_ && !fill())
                throw PickleError("truncated pickle (a string runs past the end)", offset());
            const std::size_t k = std::min<std::uint64_t>(n - out.size(), end_ - pos_);
            out.append(buf_.data() + pos_, k);
            pos_ += k;
        }
        return out;
    }

    std::string line() {
        std::string out;
        for (;;) {
            const char c = static_cast<char>(byte());
            if (c == '\n') return out;
            if (out.size() > 1'000'000) fail("text line too long");
            out.push_back(c);
        }
    }

    std::uint64_t le(int n) {
        std::uint64_t v = 0;
        for (int k = 0; k < n; ++k) v |= static_cast<std::uint64_t>(byte()) << (8 * k);
        return v;
    }

    // --- values ---
    Value* make(Kind kind) {
        if (arena_.values.size() >= limits_.maxValues) fail("too many values in the pickle");
        arena_.values.push_back(std::make_unique<Value>());
        arena_.values.back()->kind = kind;
        return arena_.values.back().get();
    }

    void push(Value* v) {
        if (stack_.size() >= limits_.maxStackDepth) fail("pickle stack too deep");
        stack_.push_back(v);
    }
    Value* pop() {
        if (stack_.empty() || (!marks_.empty() && stack_.size() == marks_.back()))
            fail("pop from an empty stack");
        Value* v = stack_.back();
        stack_.pop_back();
        return v;
    }
    Value* top() {
        if (stack_.empty() || (!marks_.empty() && stack_.size() == marks_.back()))
            fail("empty stack");
        return stack_.back();
    }
    // The values above the last MARK, removed from the stack with the mark.
    std::vector<Value*> popMark() {
        if (marks_.empty()) fail("no MARK on the stack");
        const std::size_t m = marks_.back();
        marks_.pop_back();
        std::vector<Value*> out(stack_.begin() + static_cast<std::ptrdiff_t>(m), stack_.end());
        stack_.resize(m);
        return out;
    }

    Value* integer(std::int64_t v) {
        Value* x = make(Kind::Int);
        x->i = v;
        return x;
    }

    // Little-endian two's complement of any length.
    Value* longFromBytes(const std::string& b) {
        Value* x = make(Kind::Int);
        if (b.size() <= 8) {
            std::uint64_t u = 0;
            for (std::size_t k = 0; k < b.size(); ++k)
                u |= static_cast<std::uint64_t>(static_cast<unsigned char>(b[k])) << (8 * k);
            if (!b.empty() && b.size() < 8 && (static_cast<unsigned char>(b.back()) & 0x80))
                u |= ~std::uint64_t(0) << (8 * b.size());
            x->i = static_cast<std::int64_t>(u);
        } else {
            x->big = true;
            x->s = b;
        }
        return x;
    }

    Value* text(Kind kind, std::string s) {
        Value* x = make(kind);
        x->s = std::move(s);
        return x;
    }

    Value* global(std::string module, const std::string& name) {
        if (module == "__builtin__") module = "builtins";
        if (module == "copy_reg") module = "copyreg";
        return text(Kind::Global, module + "." + name);
    }

    Value* tupleOf(std::vector<Value*> items) {
        Value* t = make(Kind::Tuple);
        t->items = std::move(items);
        return t;
    }

    void memoPut(std::uint64_t index) {
        if (memo_.size() >= limits_.maxMemo && !memo_.count(index)) fail("memo too large");
        memo_[index] = top();
    }
    void memoGet(std::uint64_t index) {
        const auto it = memo_.find(index);
        if (it == memo_.end()) fail("memo key " + std::to_string(index) + " not found");
        push(it->second);
    }

    void setItems(Value* dict, const std::vector<Value*>& kv) {
        if (kv.size() % 2) fail("odd number of items for a dict");
        if (dict->kind == Kind::Object) {
            // dict subclasses (OrderedDict before its REDUCE is known) keep their items in state
            if (!dict->state) dict->state = make(Kind::Dict);
            dict = dict->state;
        }
        if (dict->kind != Kind::Dict) fail("SETITEM on " + describe(*dict));
        for (std::size_t k = 0; k < kv.size(); k += 2) {
            bool replaced = false;
            if (kv[k]->isString() || kv[k]->kind == Kind::Int)
                for (auto& [key, value] : dict->pairs)
                    if (key->kind == kv[k]->kind && key->s == kv[k]->s && key->i == kv[k]->i &&
                        key->big == kv[k]->big) {
                        value = kv[k + 1];
                        replaced = true;
                        break;
                    }
            if (!replaced) dict->pairs.emplace_back(kv[k], kv[k + 1]);
        }
    }

    void appendItems(Value* list, const std::vector<Value*>& items) {
        if (list->kind != Kind::List && list->kind != Kind::Set && list->kind != Kind::Object)
            fail("APPEND to " + describe(*list));
        list->items.insert(list->items.end(), items.begin(), items.end());
    }

    Value* call(Value* callable, Value* args) {
        if (args->kind != Kind::Tuple) fail("REDUCE arguments are not a tuple");
        // Containers the checkpoint layer reads as containers.
        if (callable->kind == Kind::Global) {
            if (callable->s == "collections.OrderedDict" && args->items.empty())
                return make(Kind::Dict);
            // LibTorch's own pickler (torch::pickle_save, TorchScript) tags typed containers:
            // the value is the first argument.
            if ((callable->s == "torch.jit._pickle.restore_type_tag" ||
                 callable->s.rfind("torch.jit._pickle.build_", 0) == 0) &&
                !args->items.empty() && callable->s != "torch.jit._pickle.build_tensor_from_id")
                return args->items[0];
            if ((callable->s == "builtins.set" || callable->s == "builtins.frozenset") &&
                args->items.size() <= 1) {
                Value* s = make(Kind::Set);
                if (!args->items.empty() && args->items[0]->isSequence())
                    s->items = args->items[0]->items;
                return s;
            }
        }
        Value* o = make(Kind::Object);
        o->items = {callable, args};
        return o;
    }

    void step(unsigned char op) {
        switch (op) {
            case PROTO: {
                const unsigned char v = byte();
                if (v > 5) fail("unsupported pickle protocol " + std::to_string(v));
                return;
            }
            case FRAME:
                le(8);  // frame length: a hint only
                return;
            case MARK:
                marks_.push_back(stack_.size());
                return;
            case POP:
                if (!marks_.empty() && marks_.back() == stack_.size())
                    marks_.pop_back();
                else
                    pop();
                return;
            case POP_MARK:
                popMark();
                return;
            case DUP:
                push(top());
                return;
            case NONE:
                push(make(Kind::None));
                return;
            case NEWTRUE:
            case NEWFALSE: {
                Value* v = make(Kind::Bool);
                v->b = op == NEWTRUE;
                push(v);
                return;
            }
            case INT: {
                const std::string s = line();
                if (s == "00" || s == "01") {
                    Value* v = make(Kind::Bool);
                    v->b = s == "01";
                    push(v);
                    return;
                }
                push(integer(parseInt(s)));
                return;
            }
            case LONG: {
                std::string s = line();
                if (!s.empty() && s.back() == 'L') s.pop_back();
                push(integer(parseInt(s)));
                return;
            }
            case BININT:
                push(integer(static_cast<std::int32_t>(le(4))));
                return;
            case BININT1:
                push(integer(static_cast<std::int64_t>(le(1))));
                return;
            case BININT2:
                push(integer(static_cast<std::int64_t>(le(2))));
                return;
            case LONG1:
                push(longFromBytes(bytes(le(1))));
                return;
            case LONG4: {
                const std::int64_t n = static_cast<std::int32_t>(le(4));
                if (n < 0) fail("negative LONG4 length");
                push(longFromBytes(bytes(static_cast<std::uint64_t>(n))));
                return;
            }
            case FLOAT: {
                const std::string s = line();
                char* endp = nullptr;
                Value* v = make(Kind::Float);
                v->f = std::strtod(s.c_str(), &endp);
                if (s.empty() || endp != s.c_str() + s.size()) fail("bad FLOAT text");
                push(v);
                return;
            }
            case BINFLOAT: {
                const std::uint64_t bits = le(8);
                std::uint64_t be = 0;  // big-endian on the wire
                for (int k = 0; k < 8; ++k) be |= ((bits >> (8 * k)) & 0xff) << (8 * (7 - k));
                Value* v = make(Kind::Float);
                std::memcpy(&v->f, &be, 8);
                push(v);
                return;
            }
            case STRING: {
                std::string s = line();
                if (s.size() < 2 || (s.front() != '\'' && s.front() != '"') ||
                    s.back() != s.front())
                    fail("bad STRING quoting");
                push(text(Kind::Bytes, s.substr(1, s.size() - 2)));
                return;
            }
            case BINSTRING: {
                const std::int64_t n = static_cast<std::int32_t>(le(4));
                if (n < 0) fail("negative BINSTRING length");
                push(text(Kind::Bytes, bytes(static_cast<std::uint64_t>(n))));
                return;
            }
            case SHORT_BINSTRING:
                push(text(Kind::Bytes, bytes(le(1))));
                return;
            case BINBYTES:
                push(text(Kind::Bytes, bytes(le(4))));
                return;
            case SHORT_BINBYTES:
                push(text(Kind::Bytes, bytes(le(1))));
                return;
            case BINBYTES8:
            case BYTEARRAY8:
                push(text(Kind::Bytes, bytes(le(8))));
                return;
            case UNICODE:
                push(text(Kind::String, line()));
                return;
            case BINUNICODE:
                push(text(Kind::String, bytes(le(4))));
                return;
            case SHORT_BINUNICODE:
                push(text(Kind::String, bytes(le(1))));
                return;
            case BINUNICODE8:
                push(text(Kind::String, bytes(le(8))));
                return;
            case EMPTY_TUPLE:
                push(tupleOf({}));
                return;
            case TUPLE:
                push(tupleOf(popMark()));
                return;
            case TUPLE1: {
                Value* a = pop();
                push(tupleOf({a}));
                return;
            }
            case TUPLE2: {
                Value* b = pop();
                Value* a = pop();
                push(tupleOf({a, b}));
                return;
            }
            case TUPLE3: {
                Value* c = pop();
                Value* b = pop();
                Value* a = pop();
                push(tupleOf({a, b, c}));
                return;
            }
            case EMPTY_LIST:
                push(make(Kind::List));
                return;
            case LIST: {
                Value* l = make(Kind::List);
                l->items = popMark();
                push(l);
                return;
            }
            case APPEND: {
                Value* v = pop();
                appendItems(top(), {v});
                return;
            }
            case APPENDS: {
                std::vector<Value*> items = popMark();
                appendItems(top(), items);
                return;
            }
            case EMPTY_DICT:
                push(make(Kind::Dict));
                return;
            case DICT: {
                Value* d = make(Kind::Dict);
                setItems(d, popMark());
                push(d);
                return;
            }
            case SETITEM: {
                Value* v = pop();
                Value* k = pop();
                setItems(top(), {k, v});
                return;
            }
            case SETITEMS: {
                std::vector<Value*> kv = popMark();
                setItems(top(), kv);
                return;
            }
            case EMPTY_SET:
                push(make(Kind::Set));
                return;
            case ADDITEMS: {
                std::vector<Value*> items = popMark();
                Value* s = top();
                if (s->kind != Kind::Set) fail("ADDITEMS to " + describe(*s));
                s->items.insert(s->items.end(), items.begin(), items.end());
                return;
            }
            case FROZENSET: {
                Value* s = make(Kind::Set);
                s->items = popMark();
                push(s);
                return;
            }
            case GLOBAL: {
                std::string module = line();
                std::string name = line();
                push(global(std::move(module), name));
                return;
            }
            case STACK_GLOBAL: {
                Value* name = pop();
                Value* module = pop();
                if (!name->isString() || !module->isString())
                    fail("STACK_GLOBAL needs two strings");
                push(global(module->s, name->s));
                return;
            }
            case REDUCE: {
                Value* args = pop();
                Value* callable = pop();
                push(call(callable, args));
                return;
            }
            case NEWOBJ: {
                Value* args = pop();
                Value* cls = pop();
                push(call(cls, args));
                return;
            }
            case NEWOBJ_EX: {
                pop();  // kwargs
                Value* args = pop();
                Value* cls = pop();
                push(call(cls, args));
                return;
            }
            case INST: {
                std::string module = line();
                std::string name = line();
                Value* cls = global(std::move(module), name);
                push(call(cls, tupleOf(popMark())));
                return;
            }
            case OBJ: {
                std::vector<Value*> items = popMark();
                if (items.empty()) fail("OBJ without a class");
                Value* cls = items.front();
                items.erase(items.begin());
                push(call(cls, tupleOf(std::move(items))));
                return;
            }
            case BUILD: {
                Value* state = pop();
                Value* obj = top();
                // Dicts (OrderedDict with _metadata) ignore their attribute state here.
                if (obj->kind == Kind::Object) obj->state = state;
                return;
            }
            case PERSID: {
                Value* p = make(Kind::PersistentId);
                p->items = {text(Kind::String, line())};
                persistentIds_.push_back(p);
                push(p);
                return;
            }
            case BINPERSID: {
                Value* p = make(Kind::PersistentId);
                p->items = {pop()};
                persistentIds_.push_back(p);
                push(p);
                return;
            }
            case PUT: {
                const std::string s = line();
                memoPut(static_cast<std::uint64_t>(parseInt(s)));
                return;
            }
            case BINPUT:
                memoPut(le(1));
                return;
            case LONG_BINPUT:
                memoPut(le(4));
                return;
            case MEMOIZE:
                memoPut(memo_.size());
                return;
            case GET: {
                const std::string s = line();
                memoGet(static_cast<std::uint64_t>(parseInt(s)));
                return;
            }
            case BINGET:
                memoGet(le(1));
                return;
            case LONG_BINGET:
                memoGet(le(4));
                return;
            case EXT1:
            case EXT2:
            case EXT4:
                fail("extension registry opcodes are not supported");
            case NEXT_BUFFER:
            case READONLY_BUFFER:
                fail("out-of-band buffers are not supported");
            default: {
                static const char* hex = "0123456789abcdef";
                fail(std::string("unknown opcode 0x") + hex[op >> 4] + hex[op & 15]);
            }
        }
    }

    std::int64_t parseInt(const std::string& s) {
        if (s.empty() || s.size() > 20) fail("bad integer text");
        std::size_t k = 0;
        bool neg = false;
        if (s[0] == '-' || s[0] == '+') {
            neg = s[0] == '-';
            k = 1;
        }
        if (k == s.size()) fail("bad integer text");
        std::uint64_t v = 0;
        for (; k < s.size(); ++k) {
            if (s[k] < '0' || s[k] > '9') fail("bad integer text");
            if (v > (std::uint64_t(1) << 62)) fail("integer text out of range");
            v = v * 10 + static_cast<std::uint64_t>(s[k] - '0');
        }
        return neg ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
    }

    ByteSource& src_;
    const Limits& limits_;
    Pickle::Arena& arena_;
    std::vector<const Value*>& persistentIds_;
    std::vector<char> buf_;
    std::size_t pos_ = 0, end_ = 0;
    std::uint64_t opStart_ = 0;
    std::vector<Value*> stack_;
    std::vector<std::size_t> marks_;
    std::unordered_map<std::uint64_t, Value*> memo_;

public:
    // Bytes read from the source but not consumed by the pickle.
    std::size_t unread() const { return end_ - pos_; }
};

}  // namespace

Pickle Pickle::parse(ByteSource& source, const Limits& limits) {
    Pickle p;
    Parser parser(source, limits, *p.arena_, p.persistentIds_);
    p.root_ = parser.run();
    p.endOffset_ = source.position() - parser.unread();
    return p;
}

Pickle Pickle::parse(std::string_view bytes, const Limits& limits) {
    BufferSource src(bytes);
    return parse(src, limits);
}

std::string describe(const Value& v) {
    switch (v.kind) {
        case Kind::None:
            return "None";
        case Kind::Bool:
            return "bool";
        case Kind::Int:
            return "int";
        case Kind::Float:
            return "float";
        case Kind::String:
            return "str";
        case Kind::Bytes:
            return "bytes";
        case Kind::Tuple:
            return "tuple of " + std::to_string(v.items.size());
        case Kind::List:
            return "list of " + std::to_string(v.items.size());
        case Kind::Dict:
            return "dict";
        case Kind::Set:
            return "set";
        case Kind::Global:
            return "global " + v.s;
        case Kind::Object:
            return !v.items.empty() && v.items[0]->kind == Kind::Global ? "object " + v.items[0]->s
                                                                        : std::string("object");
        case Kind::PersistentId:
            return "persistent id";
    }
    return "value";
}

}  // namespace zsi::pickle
