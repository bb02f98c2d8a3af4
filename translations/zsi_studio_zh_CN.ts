<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>StudioOptions</name>
    <message>
        <source>ZSI Studio: zero-shot instance segmentation</source>
        <translation>ZSI Studio：零样本实例分割</translation>
    </message>
    <message>
        <source>Folder with the demo assets.</source>
        <translation>演示资源所在的文件夹。</translation>
    </message>
    <message>
        <source>Render the window to a PNG file.</source>
        <translation>将窗口渲染为 PNG 文件。</translation>
    </message>
    <message>
        <source>Quit after the screenshot or report.</source>
        <translation>截图或生成报告后退出。</translation>
    </message>
    <message>
        <source>Image to show first.</source>
        <translation>首先显示的图像。</translation>
    </message>
    <message>
        <source>Comma-separated unseen class names.</source>
        <translation>以逗号分隔的未见类别名称。</translation>
    </message>
    <message>
        <source>Select instance N.</source>
        <translation>选中第 N 个实例。</translation>
    </message>
    <message>
        <source>Write a report (background) and exit.</source>
        <translation>生成报告（background）后退出。</translation>
    </message>
    <message>
        <source>Output folder of the report.</source>
        <translation>报告的输出文件夹。</translation>
    </message>
    <message>
        <source>Model bundle folder.</source>
        <translation>模型包文件夹。</translation>
    </message>
    <message>
        <source>Images or folders to open.</source>
        <translation>要打开的图像或文件夹。</translation>
    </message>
</context>
<context>
    <name>zsi::ClassesPanel</name>
    <message>
        <source>Unseen classes (typed)</source>
        <translation>未见类别（输入）</translation>
    </message>
    <message>
        <source>Type a class name and press Enter (synonyms: couch | sofa)</source>
        <translation>输入类别名称并按回车（同义词：couch | sofa）</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Scoring</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>ZSI: unseen classes only</source>
        <translation>ZSI：仅未见类别</translation>
    </message>
    <message>
        <source>GZSI: seen and unseen</source>
        <translation>GZSI：已见与未见类别</translation>
    </message>
    <message>
        <source>Seen classes only</source>
        <translation>仅已见类别</translation>
    </message>
    <message>
        <source>Reference (published code)</source>
        <translation>参考规则（公开代码）</translation>
    </message>
    <message>
        <source>Direct (paper text)</source>
        <translation>直接规则（论文正文）</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Score threshold</source>
        <translation>分数阈值</translation>
    </message>
    <message>
        <source>Mask threshold</source>
        <translation>掩码阈值</translation>
    </message>
    <message>
        <source>Seen classes (model)</source>
        <translation>已见类别（模型）</translation>
    </message>
    <message>
        <source>unknown words: %1</source>
        <translation>未知词：%1</translation>
    </message>
    <message>
        <source>built from subwords: %1</source>
        <translation>由子词构建：%1</translation>
    </message>
    <message>
        <source>nearest seen: %1</source>
        <translation>最近的已见类别：%1</translation>
    </message>
    <message>
        <source>No model is loaded yet.</source>
        <translation>尚未加载模型。</translation>
    </message>
    <message>
        <source>'%1' cannot be used: %2</source>
        <translation>无法使用“%1”：%2</translation>
    </message>
    <message>
        <source>'%1' cannot be added: %2</source>
        <translation>无法添加“%1”：%2</translation>
    </message>
    <message>
        <source>'%1' is already a class.</source>
        <translation>“%1”已经是一个类别。</translation>
    </message>
</context>
<context>
    <name>zsi::InferenceWorker</name>
    <message>
        <source>Loading model</source>
        <translation>正在加载模型</translation>
    </message>
    <message>
        <source>Loading word vectors</source>
        <translation>正在加载词向量</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <source>Segmenting %1</source>
        <translation>正在分割 %1</translation>
    </message>
</context>
<context>
    <name>zsi::MainWindow</name>
    <message>
        <source>ZSI Studio</source>
        <translation>ZSI Studio</translation>
    </message>
    <message>
        <source>LibTorch %1 | %2 threads | %3</source>
        <translation>LibTorch %1 | %2 个线程 | %3</translation>
    </message>
    <message>
        <source>CUDA</source>
        <translation>CUDA</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open Image...</source>
        <translation>打开图像(&amp;O)...</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation>适应窗口(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Actual Size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About ZSI Studio</source>
        <translation>关于 ZSI Studio(&amp;A)</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>%1 - ZSI Studio</source>
        <translation>%1 - ZSI Studio</translation>
    </message>
    <message>
        <source>Opened %1 (%2 x %3)</source>
        <translation>已打开 %1（%2 x %3）</translation>
    </message>
    <message>
        <source>Open Image</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp)</source>
        <translation>图像 (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp)</translation>
    </message>
    <message>
        <source>About ZSI Studio</source>
        <translation>关于 ZSI Studio</translation>
    </message>
    <message>
        <source>&lt;h3&gt;ZSI Studio %1&lt;/h3&gt;&lt;p&gt;Zero-shot instance segmentation (Zheng et al., CVPR 2021): type the names of classes the model never saw and get their masks.&lt;/p&gt;&lt;p&gt;LibTorch %2, %3 threads.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;ZSI Studio %1&lt;/h3&gt;&lt;p&gt;零样本实例分割（Zheng 等，CVPR 2021）：输入模型从未见过的类别名称，即可得到它们的掩码。&lt;/p&gt;&lt;p&gt;LibTorch %2，%3 个线程。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Cannot load the model: %1</source>
        <translation>无法加载模型：%1</translation>
    </message>
    <message>
        <source>Cannot segment %1: %2</source>
        <translation>无法分割 %1：%2</translation>
    </message>
    <message>
        <source>%1: %2%</source>
        <translation>%1：%2%</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Similarity</source>
        <translation>相似度</translation>
    </message>
    <message>
        <source>Open &amp;Folder...</source>
        <translation>打开文件夹(&amp;F)...</translation>
    </message>
    <message>
        <source>Open &amp;Model...</source>
        <translation>打开模型(&amp;M)...</translation>
    </message>
    <message>
        <source>&amp;Next Image</source>
        <translation>下一张图像(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Previous Image</source>
        <translation>上一张图像(&amp;P)</translation>
    </message>
    <message>
        <source>View</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>Mask opacity </source>
        <translation>掩码不透明度 </translation>
    </message>
    <message>
        <source>Loading model %1...</source>
        <translation>正在加载模型 %1...</translation>
    </message>
    <message>
        <source>Model %1: %2 seen classes, D = %3, %4</source>
        <translation>模型 %1：%2 个已见类别，D = %3，%4</translation>
    </message>
    <message>
        <source>Type the name of a class to segment it (or choose seen classes only).</source>
        <translation>输入类别名称以分割它（或选择仅已见类别）。</translation>
    </message>
    <message>
        <source>%1 instances | re-scored in %2 ms (cached features)</source>
        <translation>%1 个实例 | 重新评分用时 %2 毫秒（已缓存特征）</translation>
    </message>
    <message>
        <source>%1 instances | %2 ms (features %3 ms)</source>
        <translation>%1 个实例 | %2 毫秒（特征 %3 毫秒）</translation>
    </message>
    <message>
        <source>Segmented %1</source>
        <translation>已分割 %1</translation>
    </message>
    <message>
        <source>reference rule</source>
        <translation>参考规则</translation>
    </message>
    <message>
        <source>direct rule</source>
        <translation>直接规则</translation>
    </message>
    <message>
        <source>Instance %1: %2 (%3)</source>
        <translation>实例 %1：%2（%3）</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Open Model Bundle</source>
        <translation>打开模型包</translation>
    </message>
</context>
<context>
    <name>zsi::SimilarityChart</name>
    <message>
        <source>Select an instance to see its similarity to every class.</source>
        <translation>选中一个实例以查看它与每个类别的相似度。</translation>
    </message>
    <message>
        <source>seen</source>
        <translation>已见</translation>
    </message>
    <message>
        <source>unseen</source>
        <translation>未见</translation>
    </message>
    <message>
        <source>background</source>
        <translation>背景</translation>
    </message>
    <message>
        <source>similarity (%1)</source>
        <translation>相似度（%1）</translation>
    </message>
</context>
</TS>